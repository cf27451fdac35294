/**
 * Enforces the per-subject limits (lib/services/gateway-limits.ts): requests per minute,
 * tokens per minute, concurrent streams. On PostgreSQL the counters live in the database
 * (rate-limiter-flexible over our pool, table `gateway_rate_limits`), so every instance shares
 * them; on SQLite (one instance) they are in memory.
 *
 * Tokens are only known once a reply has passed, so a request is refused when the minute's
 * tokens are already spent, and its own tokens are counted when it ends. A concurrency slot is
 * taken per request in flight (a stream holds it until its last event) and given back at its
 * end; a slot of a process that died is freed when its counter's hour runs out.
 * @see docs/gateway.md#limits
 */
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { GatewayLimits } from "../services/gateway-limits";
import type { Store } from "../store/db";
import { logger } from "../observability/log";

type Kind = "rpm" | "tpm" | "concurrent";
const DURATION_SECONDS: Record<Kind, number> = { rpm: 60, tpm: 60, concurrent: 3600 };

export type LimitDecision =
  | { allowed: true; release(tokens: number): Promise<void> }
  | { allowed: false; limit: keyof GatewayLimits; retryAfterSeconds: number };

export interface GatewayLimiter {
  /** Check and take what a request needs under `limits`; `release` at its end with the tokens it used. */
  acquire(subject: string, limits: GatewayLimits): Promise<LimitDecision>;
}

const NOTHING_TO_RELEASE: LimitDecision = { allowed: true, release: async () => {} };

export function createGatewayLimiter(store: Store): GatewayLimiter {
  const limiters = new Map<string, RateLimiterAbstract>();
  /** One limiter per kind and limit value; all of a kind share the counters (same key prefix and table). */
  const limiterFor = (kind: Kind, points: number): RateLimiterAbstract => {
    const id = `${kind}:${points}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      const options = { keyPrefix: `gw_${kind}`, points, duration: DURATION_SECONDS[kind] };
      limiter = store.pgPool
        ? new RateLimiterPostgres({ ...options, storeClient: store.pgPool, storeType: "pool", tableName: "gateway_rate_limits", tableCreated: true })
        : new RateLimiterMemory(options);
      limiters.set(id, limiter);
    }
    return limiter;
  };
  const retryAfter = (res: RateLimiterRes | null) => Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
  const log = (err: unknown) => logger().error({ err }, "gateway limits failed");

  return {
    async acquire(subject, limits) {
      const { requests_per_minute: rpm, tokens_per_minute: tpm, concurrent_streams: concurrent } = limits;
      if (rpm === null && tpm === null && concurrent === null) return NOTHING_TO_RELEASE;
      if (tpm !== null) {
        const spent = await limiterFor("tpm", tpm).get(subject);
        if (spent && spent.consumedPoints >= tpm) return { allowed: false, limit: "tokens_per_minute", retryAfterSeconds: retryAfter(spent) };
      }
      if (rpm !== null) {
        try {
          await limiterFor("rpm", rpm).consume(subject, 1);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          return { allowed: false, limit: "requests_per_minute", retryAfterSeconds: retryAfter(err) };
        }
      }
      if (concurrent !== null) {
        try {
          await limiterFor("concurrent", concurrent).consume(subject, 1);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          // The refused attempt counted a point; give it back.
          await limiterFor("concurrent", concurrent).reward(subject, 1);
          return { allowed: false, limit: "concurrent_streams", retryAfterSeconds: 1 };
        }
      }
      return {
        allowed: true,
        async release(tokens) {
          await Promise.all([
            concurrent !== null ? limiterFor("concurrent", concurrent).reward(subject, 1).catch(log) : undefined,
            tpm !== null && tokens > 0 ? limiterFor("tpm", tpm).penalty(subject, tokens).catch(log) : undefined,
          ]);
        },
      };
    },
  };
}
