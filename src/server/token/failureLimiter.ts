// Brute-force protection for /token refresh grants: counts failed authentications per client
// address in a sliding window. Only failures count and only failures are refused: the caller checks
// the credential first, so a valid refresh token is never answered 429 because of someone else's
// guesses from the same address (a NAT), and a busy fleet of daemons refreshing tokens is never slowed.
export interface FailureLimiterOptions {
  /** Failures allowed per key within the window. */
  maxFailures: number;
  windowMs: number;
  /** Keys kept at most (oldest dropped), so an attacker cannot grow memory without bound. */
  maxKeys?: number;
  now?: () => number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: FailureLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait before trying again, or 0 when every key may try now. */
  retryAfterSeconds(keys: readonly string[]): number {
    const t = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, t);
      if (recent.length >= this.options.maxFailures) {
        const oldest = recent[recent.length - this.options.maxFailures] as number;
        wait = Math.max(wait, Math.ceil((oldest + this.options.windowMs - t) / 1000));
      }
    }
    return wait;
  }

  recordFailure(keys: readonly string[]): void {
    const t = this.now();
    for (const key of keys) {
      const list = this.recent(key, t);
      list.push(t);
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    const max = this.options.maxKeys ?? 100_000;
    while (this.failures.size > max) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  private recent(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => t - at < this.options.windowMs);
  }
}
