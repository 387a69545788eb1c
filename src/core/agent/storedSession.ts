// A session stored in the keychain is filed under a label (server, user, org) that the user's own
// account can write. Only the server knows whose token it really is, so the agent compares the two
// before it hands the token out (docs/helper.md, "A stored session is confirmed before use").
import type { Session } from './agentState.js';

/**
 * Why the server's view of a stored token (`GET /api/v1/agent/sessions/current`: its user and org)
 * contradicts the session it is stored as, in words; undefined when they agree.
 */
export function sessionMismatch(session: Session, server: { user?: unknown; org?: unknown }): string | undefined {
  if (server.user === session.user && server.org === session.org) return undefined;
  const actual = `${typeof server.user === 'string' ? server.user : 'an unknown user'} · ${typeof server.org === 'string' ? server.org : 'no organization'}`;
  return (
    `The stored Bosun session is labelled ${session.user} · ${session.org}, but the server says it belongs to ${actual}. ` +
    `Bosun signed it out and revoked it; sign in again to ${session.org} with \`bosun login\` or from the tray.`
  );
}
