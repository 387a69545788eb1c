// Who is calling: a password or PAT (sign-in, HTTP Basic), an account access token (Bearer), or a
// refresh token (agent sessions, the registry token service). Answers never reveal whether an
// account exists: unknown user, wrong secret and no password all get the same 401 after the same
// work (one scrypt), and the rate limiter counts unknown names too. The audit never stores a typed
// name that is not an account (it may be a password typed into the wrong field).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Credential } from '../../core/access/accessFacts.js';
import { refreshTokenState, type RefreshTokenLimits, type RefreshTokenState, type RefreshTokenTimes } from '../../core/authentication/refreshTokenLifetime.js';
import type { Store } from '../store/store.js';
import { verifyPassword } from '../store/secrets.js';
import { PAT_PREFIX, patUsable } from '../store/tokens.js';
import type { AgentSession } from '../store/sessions.js';
import type { User } from '../store/users.js';
import { accountKey, type AccountTokens } from './accountTokens.js';
import { parseBasicAuthorization } from '../../core/authentication/basicCredentials.js';
import { tooManyFailedSignIns } from '../../core/authentication/signInThrottle.js';
import { unknownUserLabel } from './auditActor.js';
import type { SignInLimiter, SignInOutcome } from './signInLimiter.js';

/** What a refresh token proves: its session, its user, and the credential to decide with. */
export interface RefreshTokenOwner {
  session: AgentSession;
  user: User;
  credential: Credential;
  /** The expiry of the PAT the session came from; null when none. */
  patExpiresAt: string | null;
}

/** The recorded times of a session, for src/core/authentication/refreshTokenLifetime.ts. */
export function refreshTokenTimes(session: Pick<AgentSession, 'createdAt' | 'lastUsedAt'>, patExpiresAt: string | null): RefreshTokenTimes {
  return {
    createdMs: Date.parse(session.createdAt),
    ...(session.lastUsedAt !== null ? { lastUsedMs: Date.parse(session.lastUsedAt) } : {}),
    ...(patExpiresAt !== null ? { patExpiresMs: Date.parse(patExpiresAt) } : {}),
  };
}

export type Authenticated = { ok: true; user: User; credential: Credential; patId: number | null };
/** `auditActor`: who the audit names for a refused sign-in (never the typed name of an unknown account). */
export type Refused = { ok: false; status: 401 | 403 | 429; message: string; retryAfterSec?: number; auditActor?: string };
export type AuthResult = Authenticated | Refused;

export const BAD_CREDENTIALS = 'Incorrect authentication credentials';

const refused = (status: Refused['status'], message: string, retryAfterSec?: number): Refused => ({
  ok: false,
  status,
  message,
  ...(retryAfterSec ? { retryAfterSec } : {}),
});

export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly limiter: SignInLimiter,
    private readonly tokens: AccountTokens,
  ) {}

  /**
   * Checks a name and a secret (password or PAT) and writes the audit record. `via` names the
   * entry point for the audit log ("v2/auth/token", "token-service", "device"). Failures are
   * throttled (src/core/authentication/signInThrottle.ts): refused per (account, address) and per address,
   * only slowed per account.
   */
  async signIn(identifier: string, secret: string, ip: string, via: string): Promise<AuthResult> {
    const name = identifier.trim().toLowerCase();
    const gate = this.limiter.begin(name, ip);
    if (gate.kind === 'refuse') {
      const actor = this.auditActor(name);
      this.store.audit.write({ actor, ip, action: 'sign-in', outcome: 'denied', detail: `${via}: rate limited for ${gate.retryAfterSec} s` });
      return { ...refused(429, tooManyFailedSignIns(gate.retryAfterSec), gate.retryAfterSec), auditActor: actor };
    }
    let outcome: SignInOutcome = 'failed';
    try {
      if (gate.delayMs > 0) await sleep(gate.delayMs);
      const result = await this.check(name, secret);
      if (!result.ok) {
        if (result.status !== 401) outcome = 'not-a-guess';
        const actor = this.auditActor(name);
        this.store.audit.write({ actor, ip, action: 'sign-in', outcome: 'denied', detail: `${via}: ${result.message}` });
        return { ...result, auditActor: actor };
      }
      outcome = 'succeeded';
      this.store.audit.write({
        actor: result.user.name,
        ip,
        action: 'sign-in',
        detail: `${via}: ${result.credential.kind === 'pat' ? `personal access token ${result.patId}` : 'password'}`,
      });
      return result;
    } finally {
      this.limiter.settle(gate.attempt, outcome);
    }
  }

  /** Forgets an account's failed sign-ins (an administrator's reset); true when there were any. */
  clearSignInLimits(name: string): boolean {
    return this.limiter.clearAccount(name.trim().toLowerCase());
  }

  /** The actor of a failed sign-in in the audit: an account by its name, anything else by a keyed tag (auditActor.ts). */
  private auditActor(name: string): string {
    return this.store.users.byName(name) ? name : unknownUserLabel(this.store.keys.tokenHmac, name);
  }

  /**
   * HTTP Basic (`Authorization: Basic base64(user:secret)`, src/core/authentication/basicCredentials.ts);
   * undefined when the header is absent or of another scheme.
   */
  async basic(header: string | undefined, ip: string, via: string): Promise<AuthResult | undefined> {
    const basic = parseBasicAuthorization(header);
    if (basic.kind === 'absent') return undefined;
    if (basic.kind === 'malformed' || basic.userId === '') return refused(401, BAD_CREDENTIALS);
    return this.signIn(basic.userId, basic.password, ip, via);
  }

  /** An account access token (`Authorization: Bearer` or Hub's older `JWT` prefix). */
  async bearer(header: string | undefined): Promise<AuthResult> {
    const m = /^(?:bearer|jwt)\s+(\S+)$/i.exec(header ?? '');
    const claims = m?.[1] ? await this.tokens.verify(m[1]) : undefined;
    if (!claims) return refused(401, 'a valid access token is required (sign in with POST /v2/auth/token)');
    const user = this.store.users.byName(claims.user);
    if (!user) return refused(401, BAD_CREDENTIALS);
    if (user.disabled) return refused(403, `account ${user.name} is disabled`);
    // Issued to an earlier account of that name, or before "sign out everywhere", a password change
    // or a disable (auth/revokeUserTokens.ts).
    if (claims.account !== accountKey(user)) return refused(401, 'this access token is no longer valid; sign in again');
    if (claims.epoch !== this.store.users.tokenEpoch(user.id))
      return refused(401, 'this access token was revoked (signed out everywhere, or the password changed); sign in again');
    if (claims.patId === null) return { ok: true, user, credential: { kind: 'password' }, patId: null };
    const pat = this.store.pats.byId(claims.patId);
    if (!pat || pat.userId !== user.id || !patUsable(pat)) return refused(401, 'the personal access token was revoked or has expired');
    return { ok: true, user, credential: { kind: 'pat', scopes: pat.scopes }, patId: pat.id };
  }

  /**
   * A refresh token → its session and the credential to decide with, for callers that check it
   * once per request (agent endpoints). Undefined when the token is unknown, revoked, past its
   * lifetime (src/core/authentication/refreshTokenLifetime.ts: absolute, idle, its PAT's expiry) or its PAT was
   * revoked. Account state and membership are deliberately left to the caller (decideAccess
   * reports them with their own reasons).
   */
  refresh(refreshToken: string, nowMs = Date.now()): RefreshTokenOwner | undefined {
    const owner = this.refreshTokenOwner(refreshToken);
    if (!owner || !this.refreshTokenState(owner, nowMs).live) return undefined;
    return owner;
  }

  /**
   * A refresh token → its session and credential, without the time checks: for callers that keep
   * the answer (the token service's read cache), which must then call refreshTokenState on every use.
   * A session from a PAT keeps both its org session and the PAT's scopes, and ends with the PAT.
   */
  refreshTokenOwner(refreshToken: string): RefreshTokenOwner | undefined {
    const session = this.store.sessions.verify(refreshToken);
    if (!session) return undefined;
    const user = this.store.users.byId(session.userId);
    if (!user) return undefined;
    const orgSession = session.org === null ? {} : { orgSession: session.org };
    if (session.patId === null) return { session, user, credential: { kind: 'refresh', ...orgSession }, patExpiresAt: null };
    const pat = this.store.pats.byId(session.patId);
    if (!pat || pat.userId !== user.id || pat.revokedAt !== null) return undefined;
    return { session, user, credential: { kind: 'refresh', ...orgSession, scopes: pat.scopes }, patExpiresAt: pat.expiresAt };
  }

  /** The server's current refresh-token limits (server settings). */
  refreshTokenLimits(): RefreshTokenLimits {
    const s = this.store.settings.get();
    return { maxAgeSeconds: s.refreshTokenMaxAgeSeconds, idleSeconds: s.refreshTokenIdleSeconds };
  }

  /** Whether a refresh token's owner may still use it at `nowMs`, from the times recorded in its session. */
  refreshTokenState(owner: RefreshTokenOwner, nowMs: number, limits = this.refreshTokenLimits()): RefreshTokenState {
    return refreshTokenState(refreshTokenTimes(owner.session, owner.patExpiresAt), limits, nowMs);
  }

  private async check(name: string, secret: string): Promise<AuthResult> {
    if (secret.startsWith(PAT_PREFIX)) {
      const pat = this.store.pats.bySecret(secret);
      const user = pat ? this.store.users.byId(pat.userId) : undefined;
      // The PAT must belong to the named account (Hub: identifier is the username).
      if (!pat || !user || user.name !== name || !patUsable(pat)) return refused(401, BAD_CREDENTIALS);
      if (user.disabled) return refused(403, `account ${user.name} is disabled; ask a Bosun administrator`);
      this.store.pats.markUsed(pat.id);
      return { ok: true, user, credential: { kind: 'pat', scopes: pat.scopes }, patId: pat.id };
    }
    const found = this.store.users.withPasswordHash(name);
    // verifyPassword runs scrypt even without a hash, so "no such user" takes as long as "wrong password".
    const good = await verifyPassword(secret, found?.passwordHash);
    if (!found || !good) return refused(401, BAD_CREDENTIALS);
    if (found.user.disabled) return refused(403, `account ${found.user.name} is disabled; ask a Bosun administrator`);
    return { ok: true, user: found.user, credential: { kind: 'password' }, patId: null };
  }
}
