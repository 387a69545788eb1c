// Counts failed sign-ins per account, per (account, address) and per address, for the throttle
// rules in src/core/authentication/signInThrottle.ts. Account names are counted whether or not the account
// exists, so the limits reveal nothing. An attempt counts as a failure from the moment it starts
// until its outcome is known, so guesses sent in parallel cannot overrun a limit.
// Fixed windows in memory: a restart forgets them, which costs an attacker a restart they cannot cause.
import { DEFAULT_SIGN_IN_LIMITS, signInGate, type FailureWindow, type SignInLimits } from '../../core/authentication/signInThrottle.js';

export { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from '../../core/authentication/signInThrottle.js';

interface Window {
  start: number;
  failures: number;
}

/** An admitted attempt, to be settled with its outcome. */
export interface SignInAttempt {
  readonly keys: readonly { key: string; start: number }[];
  readonly accountAndAddressKey: string;
}

export type SignInAdmission = { kind: 'refuse'; retryAfterSec: number } | { kind: 'proceed'; delayMs: number; attempt: SignInAttempt };

/** failed: wrong credentials. succeeded: right credentials. not-a-guess: right credentials, refused for another reason (a disabled account). */
export type SignInOutcome = 'failed' | 'succeeded' | 'not-a-guess';

/** Bounds memory: past this many tracked keys, expired windows are swept, then the oldest dropped. */
const MAX_KEYS = 100_000;

const accountKey = (account: string) => `a:${account}`;
const pairKey = (account: string, address: string) => `p:${account}\n${address}`;
const addressKey = (address: string) => `i:${address}`;

export class SignInLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits an attempt (after `delayMs`) or refuses it until Retry-After; an admitted attempt counts as a failure until settled. */
  begin(account: string, address: string): SignInAdmission {
    const t = this.now();
    const name = account.toLowerCase();
    const gate = signInGate(this.limits, {
      account: this.current(accountKey(name), t).failures,
      accountAndAddress: this.current(pairKey(name, address), t),
      address: this.current(addressKey(address), t),
    });
    if (gate.kind === 'refuse') return gate;
    if (this.windows.size >= MAX_KEYS) this.sweep(t);
    const keys = [accountKey(name), pairKey(name, address), addressKey(address)].map((key) => {
      let w = this.windows.get(key);
      if (!w || t - w.start >= this.limits.windowMs) {
        w = { start: t, failures: 0 };
        this.windows.set(key, w);
      }
      w.failures++;
      return { key, start: w.start };
    });
    return { kind: 'proceed', delayMs: gate.delayMs, attempt: { keys, accountAndAddressKey: pairKey(name, address) } };
  }

  /**
   * Records how an attempt ended. A failure stays counted. Right credentials take the attempt back;
   * a success also clears its (account, address) pair, since that address is the user's own. The
   * account's and the address's other failures stay: one good password must not reset a spray.
   */
  settle(attempt: SignInAttempt, outcome: SignInOutcome): void {
    if (outcome === 'failed') return;
    for (const { key, start } of attempt.keys) {
      const w = this.windows.get(key);
      if (!w || w.start !== start) continue;
      // A window left with no failures is dropped, so ordinary sign-ins leave nothing behind.
      if (--w.failures <= 0) this.windows.delete(key);
    }
    if (outcome === 'succeeded') this.windows.delete(attempt.accountAndAddressKey);
  }

  /** An administrator's reset: forgets the account's failures from every address. True when there were any. */
  clearAccount(account: string): boolean {
    const name = account.toLowerCase();
    let cleared = this.windows.delete(accountKey(name));
    const prefix = pairKey(name, '');
    for (const key of this.windows.keys()) {
      if (key.startsWith(prefix)) cleared = this.windows.delete(key) || cleared;
    }
    return cleared;
  }

  private current(key: string, t: number): FailureWindow {
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.limits.windowMs) return { failures: 0, endsInMs: 0 };
    return { failures: w.failures, endsInMs: w.start + this.limits.windowMs - t };
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.limits.windowMs) this.windows.delete(k);
    while (this.windows.size >= MAX_KEYS) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}
