/**
 * Rate limits. `createAttemptLimiter`: counters that must hold across instances (sign-in
 * attempts), kept in the database on PostgreSQL — where several instances may share it —
 * and in memory on SQLite, which means one instance. Each attempt is counted with one
 * atomic increment (an upsert on PostgreSQL) before the work it guards, so concurrent
 * attempts cannot all pass a check made before any of them was counted.
 *
 * `SlidingWindowLimiter`: an in-memory sliding window per process, for limits that only
 * protect this process (live exchanges, issuer checks).
 */
import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";
import type { Store } from "../store/db";

/** The table migration 0003 creates for PostgreSQL-backed limits (rate-limiter-flexible's layout). */
const ATTEMPT_LIMITS_TABLE = "rate_limits";

export interface AttemptLimit {
  /** Distinguishes this limit's keys from others' in the shared store. */
  name: string;
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
}

/** A limiter for `limit`, stored where `store` lives (see the top of this file). */
export function createAttemptLimiter(store: Pick<Store, "kind" | "pgPool">, limit: AttemptLimit): RateLimiterAbstract {
  const options = { keyPrefix: limit.name, points: limit.points, duration: limit.windowSeconds };
  if (store.kind === "postgres" && store.pgPool) {
    return new RateLimiterPostgres({ ...options, storeClient: store.pgPool, storeType: "pool", tableName: ATTEMPT_LIMITS_TABLE, tableCreated: true });
  }
  return new RateLimiterMemory(options);
}

/**
 * `create`'s limiters, made once per store and shared by every bundle of the calling module
 * Next may create (held on globalThis under `Symbol.for(holder)`), so one window counts every
 * attempt however the module was loaded.
 */
export function limitersPerStore<T>(holder: string, create: (store: Store) => T): (store: Store) => T {
  const key = Symbol.for(holder);
  return (store) => {
    const global = globalThis as unknown as Record<symbol, WeakMap<Store["db"], T> | undefined>;
    const byStore = (global[key] ??= new WeakMap());
    let made = byStore.get(store.db);
    if (!made) byStore.set(store.db, (made = create(store)));
    return made;
  };
}

/** The outcome of counting one attempt: allowed or not, with the attempts counted so far in this window. */
export interface Counted {
  allowed: boolean;
  /** Attempts in the window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  retryAfterMs: number;
}

const isLimiterResult = (value: unknown): value is RateLimiterRes =>
  !!value && typeof value === "object" && !(value instanceof Error) && typeof (value as RateLimiterRes).consumedPoints === "number";

/** Count one attempt under `key`. Over the limit is an answer, not an error; a store failure still throws. */
export async function countAttempt(limiter: RateLimiterAbstract, key: string): Promise<Counted> {
  try {
    const res = await limiter.consume(key);
    return { allowed: true, count: res.consumedPoints, retryAfterMs: res.msBeforeNext };
  } catch (err) {
    // The library rejects with its result object when over the limit (a duck test: bundlers may load the class twice).
    if (!isLimiterResult(err)) throw err;
    return { allowed: false, count: err.consumedPoints, retryAfterMs: err.msBeforeNext };
  }
}

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
