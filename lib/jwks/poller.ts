/**
 * Background refresh of remote issuers' keys, so a rotation is picked up before the first
 * token signed with the new key arrives, and `poll_status` tells administrators whether an
 * issuer's key endpoint is healthy. Polling pauses itself after repeated failures
 * (`jwks_polling_disabled_at`); an update with `jwks_polling_disabled: false` resumes it.
 *
 * Several instances may share one PostgreSQL database: each due issuer is claimed with a
 * conditional update on `poll_next_at`, so only one instance polls it per round.
 */
import type { Kysely } from "kysely";
import type { JwksConfig } from "../core/types";
import type { Database } from "../store/schema";
import { logger } from "../observability/log";

export interface PollerOptions {
  intervalSeconds: number;
  maxFailures: number;
  /** Refresh one issuer's keys; resolves with the outcome, never rejects. */
  refresh(issuer: { id: string; issuer_url: string; jwks: JwksConfig }): Promise<{ ok: true; keyCount: number } | { ok: false; message: string }>;
  now?: () => Date;
}

/** Poll every issuer that is due, once. Returns how many were polled. */
export async function pollDueIssuers(db: Kysely<Database>, options: PollerOptions): Promise<number> {
  const now = (options.now ?? (() => new Date()))();
  const nowIso = now.toISOString();
  const due = await db
    .selectFrom("federation_issuers")
    .select(["id", "issuer_url", "jwks", "poll_next_at", "poll_consecutive_failures"])
    .where("archived_at", "is", null)
    .where("jwks_polling_disabled_at", "is", null)
    .where("poll_next_at", "is not", null)
    .where("poll_next_at", "<=", nowIso)
    .limit(50)
    .execute();
  let polled = 0;
  for (const issuer of due) {
    const jwks = JSON.parse(issuer.jwks) as JwksConfig;
    if (jwks.type === "inline") continue;
    // Claim this round: push next_poll_at ahead; another instance that raced us updates 0 rows.
    const leaseUntil = new Date(now.getTime() + options.intervalSeconds * 1000).toISOString();
    const claimed = await db
      .updateTable("federation_issuers")
      .set({ poll_next_at: leaseUntil })
      .where("id", "=", issuer.id)
      .where("poll_next_at", "=", issuer.poll_next_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    polled++;
    const outcome = await options.refresh({ id: issuer.id, issuer_url: issuer.issuer_url, jwks });
    if (outcome.ok) {
      await db
        .updateTable("federation_issuers")
        .set({ poll_consecutive_failures: 0, poll_last_fetched_at: new Date().toISOString(), poll_last_error: null })
        .where("id", "=", issuer.id)
        .execute();
    } else {
      const failures = issuer.poll_consecutive_failures + 1;
      const pause = failures >= options.maxFailures;
      // Back off after failures (×2 per failure, capped at 8 intervals) so a dead endpoint is not hammered.
      const backoff = options.intervalSeconds * Math.min(8, 2 ** Math.min(failures - 1, 3));
      await db
        .updateTable("federation_issuers")
        .set({
          poll_consecutive_failures: failures,
          poll_last_error: outcome.message.slice(0, 500),
          poll_last_failed_at: new Date().toISOString(),
          poll_next_at: pause ? null : new Date(now.getTime() + backoff * 1000).toISOString(),
          jwks_polling_disabled_at: pause ? new Date().toISOString() : null,
        })
        .where("id", "=", issuer.id)
        .execute();
    }
  }
  return polled;
}

/** Run `pollDueIssuers` on a timer until `stop()` is called. */
export function startPoller(db: Kysely<Database>, options: PollerOptions, tickMs = 5_000): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pollDueIssuers(db, options)
      .catch((err: unknown) => logger().error({ err }, "JWKS poller failed"))
      .finally(() => {
        running = false;
      });
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
