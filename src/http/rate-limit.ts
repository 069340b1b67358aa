/**
 * Where fixed-window counts live when several servers share them (PostgreSQL's rate_limit_windows): counts
 * one hit and answers the window's start and count after it.
 */
export interface RateLimitStore {
  hit(key: string, now: number, windowMs: number): Promise<{ windowStart: number; count: number }>;
}

/**
 * A fixed-window counter per key: in memory (`hit`, this process only), or through a shared store when one
 * is given (`hitShared`: every server on one PostgreSQL counts together; without a store, the same as
 * `hit`). The clock is injected so tests step time instead of waiting.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
    private readonly store?: RateLimitStore,
  ) {}

  /** Counts one attempt in this process; returns the seconds to wait when the key is over its limit, else 0. */
  hit(key: string): number {
    const now = this.now().getTime();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      // Forget stale keys now and then so an address sweep cannot grow the map without bound.
      if (this.windows.size > 10_000) this.sweep(now);
    }
    window.count += 1;
    return this.waitFor(window.start, window.count, now);
  }

  /** Counts one attempt wherever the counts are shared (every server), else in this process. */
  async hitShared(key: string): Promise<number> {
    if (!this.store) return this.hit(key);
    const now = this.now().getTime();
    const window = await this.store.hit(key, now, this.windowMs);
    return this.waitFor(window.windowStart, window.count, now);
  }

  private waitFor(start: number, count: number, now: number): number {
    return count > this.limit ? Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
