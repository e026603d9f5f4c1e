/**
 * Slows down password guessing from one address: at most `maxFailures` failed sign-ins per
 * `windowMs`; beyond that every attempt from that address is refused until the window slides.
 * Per-account lock-out (in the database) stops guessing one account from many addresses.
 */
export interface LoginThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: LoginThrottleOptions) {}

  /** Seconds to wait before this address may try again, or 0. */
  retryAfterSeconds(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.options.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.options.windowMs - this.now()) / 1_000));
  }

  recordFailure(address: string): void {
    this.failures.set(address, [...this.recent(address), this.now()]);
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.options.windowMs;
    const list = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
