/**
 * Retention: the one place rows are pruned. Authentication history, gateway request audit and
 * configuration audit go when older than their window; consumed `jti`s once their assertion
 * has expired (plus the leeway already in their `expires_at`, lib/core/issuance.ts); access
 * tokens once expired. Pruning runs in the background in small batches — one short statement
 * each, `DELETE … WHERE key IN (SELECT key … LIMIT n)` on both databases — and rests between
 * batches nine times as long as the batch took, so it never holds SQLite's write lock or the
 * event loop for long and takes at most a tenth of the time while it catches up.
 * @see docs/behaviour.md#retention
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Kysely } from "kysely";
import type { RetentionConfig } from "../config";
import type { Database } from "./schema";

/** Rows per DELETE: a few milliseconds of work on either database. */
export const PRUNE_BATCH_ROWS = 1000;
/** Rest after a batch, as a multiple of the time it took: pruning uses at most 1/(1+n) of the time. */
const REST_FACTOR = 9;
const DAY_MS = 86_400_000;

type PrunedTable = "auth_events" | "gateway_requests" | "audit_events" | "used_jtis" | "access_tokens";

/** Rows deleted per table by one pass. */
export type PruneCounts = Record<PrunedTable, number>;

interface Target {
  table: PrunedTable;
  /** Rows strictly before this instant go; undefined: the table is kept forever. */
  cutoff: string | undefined;
}

function targets(retention: Pick<RetentionConfig, "historyDays" | "gatewayRequestDays" | "auditDays">, now: number): Target[] {
  const before = (days: number) => (days > 0 ? new Date(now - days * DAY_MS).toISOString() : undefined);
  const nowIso = new Date(now).toISOString();
  return [
    { table: "used_jtis", cutoff: nowIso },
    { table: "access_tokens", cutoff: nowIso },
    { table: "auth_events", cutoff: before(retention.historyDays) },
    { table: "gateway_requests", cutoff: before(retention.gatewayRequestDays) },
    { table: "audit_events", cutoff: before(retention.auditDays) },
  ];
}

/** Delete up to `limit` rows of `table` before `cutoff`; the number deleted. */
async function pruneBatch(db: Kysely<Database>, table: PrunedTable, cutoff: string, limit: number): Promise<number> {
  let result;
  if (table === "used_jtis") {
    // No single-column key: the primary key's pair.
    result = await db
      .deleteFrom("used_jtis")
      .where((eb) => eb(eb.refTuple("issuer_id", "jti"), "in", eb.selectFrom("used_jtis").select(["issuer_id", "jti"]).where("expires_at", "<", cutoff).limit(limit).$asTuple("issuer_id", "jti")))
      .executeTakeFirst();
  } else if (table === "access_tokens") {
    result = await db
      .deleteFrom("access_tokens")
      .where("id", "in", db.selectFrom("access_tokens").select("id").where("expires_at", "<", cutoff).limit(limit))
      .executeTakeFirst();
  } else {
    result = await db
      .deleteFrom(table)
      .where("id", "in", db.selectFrom(table).select("id").where("occurred_at", "<", cutoff).limit(limit))
      .executeTakeFirst();
  }
  return Number(result.numDeletedRows);
}

export interface PruneOptions {
  now?: number;
  batchRows?: number;
  /** Stops the pass between two batches. */
  signal?: AbortSignal;
}

/** One pass over every table: batches until nothing old is left (or `signal` aborts). */
export async function pruneExpiredRows(db: Kysely<Database>, retention: Pick<RetentionConfig, "historyDays" | "gatewayRequestDays" | "auditDays">, options: PruneOptions = {}): Promise<PruneCounts> {
  const limit = options.batchRows ?? PRUNE_BATCH_ROWS;
  const counts: PruneCounts = { used_jtis: 0, access_tokens: 0, auth_events: 0, gateway_requests: 0, audit_events: 0 };
  for (const { table, cutoff } of targets(retention, options.now ?? Date.now())) {
    if (cutoff === undefined) continue;
    for (;;) {
      if (options.signal?.aborted) return counts;
      const started = performance.now();
      const deleted = await pruneBatch(db, table, cutoff, limit);
      counts[table] += deleted;
      if (deleted < limit) break;
      // More remain: rest, so requests have the database and the event loop most of the time.
      try {
        await delay(Math.max(1, (performance.now() - started) * REST_FACTOR), undefined, { signal: options.signal });
      } catch {
        return counts; // aborted while resting
      }
    }
  }
  return counts;
}

export interface Pruner {
  /** Stop: a batch under way finishes, no new one starts. */
  stop(): Promise<void>;
}

/** Prune every `retention.intervalMs` in the background (the first pass one interval after start). */
export function startPruner(db: Kysely<Database>, retention: RetentionConfig, onError: (err: Error) => void): Pruner {
  const controller = new AbortController();
  const loop = (async () => {
    for (;;) {
      try {
        await delay(retention.intervalMs, undefined, { signal: controller.signal, ref: false });
      } catch {
        return; // stopped
      }
      try {
        await pruneExpiredRows(db, retention, { signal: controller.signal });
      } catch (err) {
        onError(err as Error);
      }
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
