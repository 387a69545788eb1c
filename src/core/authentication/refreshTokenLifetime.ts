// When a refresh token (an agent session or a `docker login` token) stops working on its own:
// docs/registry-token-service.md, "Refresh-token lifetime". A refresh token is never rotated (the
// docker daemon throws new ones away), so the secret a client holds is the one issued at sign-in;
// an absolute lifetime bounds how long a copied secret is worth anything, and an idle timeout
// ends tokens nobody uses any more (a forgotten laptop, a CI runner that was torn down). A token
// minted from a PAT also ends when the PAT expires. Pure: the caller passes the clock, and checks
// on every use (the answers it caches hold only the times, never the verdict).

export interface RefreshTokenLimits {
  /** Seconds from issue after which the token ends, however often it is used. */
  maxAgeSeconds: number;
  /** Seconds without use after which the token ends. */
  idleSeconds: number;
}

/** The times that decide, as epoch milliseconds. */
export interface RefreshTokenTimes {
  createdMs: number;
  /** Last recorded use; undefined when never used (idle time then counts from issue). */
  lastUsedMs?: number;
  /** The expiry of the PAT the token was minted from; undefined when none. */
  patExpiresMs?: number;
}

export type RefreshTokenState = { live: true } | { live: false; rule: 'refresh.max-age' | 'refresh.idle' | 'refresh.pat-expired'; reason: string };

const days = (seconds: number): string => {
  const d = seconds / 86_400;
  return Number.isInteger(d) ? `${d} day${d === 1 ? '' : 's'}` : `${seconds} seconds`;
};

/** Whether the token may still be used at `nowMs`. A time that does not parse (NaN) counts as expired: fail closed. */
export function refreshTokenState(times: RefreshTokenTimes, limits: RefreshTokenLimits, nowMs: number): RefreshTokenState {
  if (times.patExpiresMs !== undefined && !(times.patExpiresMs > nowMs)) {
    return { live: false, rule: 'refresh.pat-expired', reason: 'the personal access token this sign-in came from has expired; sign in again' };
  }
  if (!(nowMs - times.createdMs < limits.maxAgeSeconds * 1000)) {
    return { live: false, rule: 'refresh.max-age', reason: `this sign-in is older than the server's limit of ${days(limits.maxAgeSeconds)}; sign in again` };
  }
  const lastActive = Math.max(times.createdMs, times.lastUsedMs ?? times.createdMs);
  if (!(nowMs - lastActive < limits.idleSeconds * 1000)) {
    return { live: false, rule: 'refresh.idle', reason: `this sign-in was not used for ${days(limits.idleSeconds)}; sign in again` };
  }
  return { live: true };
}

/**
 * How stale a recorded last use may get before it is written again: last use is recorded with at
 * most minute precision (one write per token per minute on a busy server), and finer when the idle
 * timeout is short, so a token in use never looks idle.
 */
export function lastUseRecordingIntervalMs(limits: RefreshTokenLimits): number {
  return Math.min(60_000, Math.floor((limits.idleSeconds * 1000) / 4));
}
