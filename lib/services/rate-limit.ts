/**
 * In-memory sliding-window limiter for sign-in and setup attempts. Per process: several
 * instances behind a load balancer each allow the limit (acceptable for a login throttle;
 * the per-email limit still bounds guessing to limit × instances per window).
 */
import "server-only";

export interface RateLimitOptions {
  /** Attempts allowed inside one window. */
  limit: number;
  windowMs: number;
  /** Injected clock in milliseconds (tests). */
  now?: () => number;
  /** Keys kept before the oldest are dropped, so a flood of distinct keys cannot exhaust memory. */
  maxKeys?: number;
}

export type RateLimitStatus = { allowed: true } | { allowed: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  private recent(key: string, now: number): number[] {
    const cutoff = now - this.options.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** Whether another attempt for `key` is allowed now (does not count one). */
  check(key: string): RateLimitStatus {
    const now = this.now();
    const list = this.recent(key, now);
    if (list.length < this.options.limit) return { allowed: true };
    // The window frees a slot when the oldest attempt that still counts falls out of it.
    const oldest = list[list.length - this.options.limit]!;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + this.options.windowMs - now) };
  }

  /** Count one attempt for `key`. */
  record(key: string): void {
    const now = this.now();
    const list = this.recent(key, now);
    list.push(now);
    // Re-insert so Map order is least-recently-used first.
    this.hits.delete(key);
    this.hits.set(key, list);
    while (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
  }

  /** Forget `key` (after a successful sign-in). */
  reset(key: string): void {
    this.hits.delete(key);
  }
}

/** "Too many attempts, try again in N minutes" for a refused attempt. */
export function tooManyAttemptsMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}
