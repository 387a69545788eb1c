// Rate limiting of failed sign-ins, per account name and per client address (issue 3, "Security").
// Account names are counted whether or not the account exists, so the limit reveals nothing.
// Fixed windows in memory: a restart forgets them, which costs an attacker a restart they cannot cause.

export interface SignInLimits {
  /** Failures allowed per account name within the window. */
  perAccount: number;
  /** Failures allowed per client address within the window. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAccount: 10, perAddress: 100, windowMs: 15 * 60_000 };

interface Window {
  start: number;
  failures: number;
}

/** Bounds memory: past this many tracked keys, expired windows are swept, then the oldest dropped. */
const MAX_KEYS = 100_000;

export class SignInLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS, private readonly now: () => number = Date.now) {}

  /** Seconds until the caller may try again, or 0 when they may try now. */
  blockedFor(account: string, address: string): number {
    const t = this.now();
    let wait = 0;
    for (const [key, limit] of this.keys(account, address)) {
      const w = this.windows.get(key);
      if (w && t - w.start < this.limits.windowMs && w.failures >= limit) wait = Math.max(wait, w.start + this.limits.windowMs - t);
    }
    return Math.ceil(wait / 1000);
  }

  recordFailure(account: string, address: string): void {
    const t = this.now();
    if (this.windows.size >= MAX_KEYS) this.sweep(t);
    for (const [key] of this.keys(account, address)) {
      const w = this.windows.get(key);
      if (!w || t - w.start >= this.limits.windowMs) this.windows.set(key, { start: t, failures: 1 });
      else w.failures++;
    }
  }

  /** A success clears the account's count (not the address's: one good password must not reset a spray). */
  recordSuccess(account: string): void {
    this.windows.delete(`a:${account.toLowerCase()}`);
  }

  private keys(account: string, address: string): [string, number][] {
    return [
      [`a:${account.toLowerCase()}`, this.limits.perAccount],
      [`i:${address}`, this.limits.perAddress],
    ];
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
