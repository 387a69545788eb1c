// How failed sign-ins are throttled, as pure decisions over counts (the counting itself is the
// server's, src/server/auth/signInLimiter.ts). The rules, as docs/permission-model.md states them:
// - one account from one address: after `perAccountAndAddress` failures in the window that pair
//   waits for the window to pass. Only the guesser's own address is held back, so nobody can lock
//   the real user out from theirs.
// - one address, whatever the accounts: after `perAddress` failures it waits too (a spray from one
//   place).
// - one account, from every address: never refused; after `slowAfter` failures every attempt on it
//   waits a delay that doubles with each failure, up to `maxDelayMs`. A spray from many addresses is
//   slowed; the real user still signs in, a few seconds later.
// The agent and the server word a refusal the same way (tooManyFailedSignIns), with the real wait.

export interface SignInLimits {
  /** Failures allowed for one account from one address within the window. */
  perAccountAndAddress: number;
  /** Failures allowed from one address, whatever the accounts, within the window. */
  perAddress: number;
  windowMs: number;
  /** Failures on one account (from any address) within the window before its attempts are slowed. */
  slowAfter: number;
  /** The first delay; it doubles with every further failure. */
  firstDelayMs: number;
  /** The longest delay: the most the real user waits however hard the account is attacked. */
  maxDelayMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccountAndAddress: 10,
  perAddress: 100,
  windowMs: 15 * 60_000,
  slowAfter: 5,
  firstDelayMs: 250,
  maxDelayMs: 3000,
};

/** A fixed window of failures: how many, and how long until it ends. */
export interface FailureWindow {
  failures: number;
  endsInMs: number;
}

export interface SignInFailures {
  /** Failures on the account from every address. */
  account: number;
  accountAndAddress: FailureWindow;
  address: FailureWindow;
}

export type SignInGate = { kind: 'refuse'; retryAfterSec: number } | { kind: 'proceed'; delayMs: number };

/** Whether a sign-in attempt may be checked now, after a delay, or not before Retry-After. */
export function signInGate(limits: SignInLimits, seen: SignInFailures): SignInGate {
  let waitMs = 0;
  if (seen.accountAndAddress.failures >= limits.perAccountAndAddress) waitMs = Math.max(waitMs, seen.accountAndAddress.endsInMs);
  if (seen.address.failures >= limits.perAddress) waitMs = Math.max(waitMs, seen.address.endsInMs);
  if (waitMs > 0) return { kind: 'refuse', retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
  return { kind: 'proceed', delayMs: signInDelayMs(limits, seen.account) };
}

/** The delay before checking an attempt on an account that has failed `failures` times. */
export function signInDelayMs(limits: SignInLimits, failures: number): number {
  if (failures < limits.slowAfter) return 0;
  // 2^20 already exceeds any sensible cap; bounding the exponent keeps the number finite.
  const doublings = Math.min(failures - limits.slowAfter, 20);
  return Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** doublings);
}

/** "45 seconds", "1 minute", "15 minutes": a wait in words, rounded up. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/**
 * The one wording of a sign-in refused for too many failures, on the server (HTTP 429 with
 * Retry-After) and in the agent (from that Retry-After). Without a Retry-After: "later".
 */
export function tooManyFailedSignIns(retryAfterSec?: number): string {
  const when = retryAfterSec !== undefined && Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? `in ${waitInWords(retryAfterSec)}` : 'later';
  return `too many failed sign-ins; try again ${when}`;
}
