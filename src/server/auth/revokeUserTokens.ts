// Ends every token of an account at once, for "sign out everywhere", a password change and a
// disable (what each one ends: src/core/authentication/tokenRevocation.ts). Refresh tokens are revoked in the
// store, so the token service's read cache drops them on the very next request; account access
// tokens (stateless JWTs) are ended by starting a new token epoch, which Authenticator.bearer()
// checks on every use. The caller runs it inside its transaction and writes its own audit record.
import { revokesPersonalAccessTokens, type RevocationCause } from '../../core/authentication/tokenRevocation.js';
import type { Store } from '../store/store.js';

export interface RevokedTokens {
  sessions: number;
  personalAccessTokens: number;
}

export function revokeUserTokens(store: Store, userId: number, cause: RevocationCause): RevokedTokens {
  store.users.bumpTokenEpoch(userId);
  const sessions = store.sessions.revokeAllOf(userId);
  const personalAccessTokens = revokesPersonalAccessTokens(cause) ? store.pats.revokeAllOf(userId) : 0;
  return { sessions, personalAccessTokens };
}

/** "2 sessions, 1 personal access token revoked", for audit details. */
export function describeRevoked(r: RevokedTokens): string {
  return `${r.sessions} session(s) and refresh token(s), ${r.personalAccessTokens} personal access token(s) revoked; earlier access tokens refused`;
}
