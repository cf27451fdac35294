/**
 * The gateway's audit rows, written off the request path in batches: a request appends its
 * row when it ends (however it ends) and goes on; rows are inserted together at most
 * FLUSH_DELAY_MS later (SQLite: in the token path's group commit; PostgreSQL: one multi-row
 * insert, one round trip). Committing each row as its request ended cost a SQLite commit per
 * request on the event loop, which the next request on a busy machine waited behind. `close()`
 * writes what is queued, so a graceful shutdown loses nothing; a crash may lose the last
 * FLUSH_DELAY_MS of rows.
 * @see docs/gateway.md#audit
 */
import type { Insertable } from "kysely";
import type { Store } from "./db";
import { PreparedQuery, transaction, type Params } from "./prepared-query";
import type { GatewayRequestsTable } from "./schema";
import { logger } from "../observability/log";

export type GatewayRequestRow = Insertable<GatewayRequestsTable> & { [K in keyof GatewayRequestsTable]: GatewayRequestsTable[K] };

export interface GatewayRequestLog {
  append(row: GatewayRequestRow): void;
  /** Resolves once every row appended so far is committed. */
  flush(): Promise<void>;
  /** Write what is queued; later appends are dropped (and counted). */
  close(): Promise<void>;
}

const MAX_BATCH = 500;
/** How long the first row of a batch waits for company. */
const FLUSH_DELAY_MS = 20;
/** After a failed write, rows are kept (up to this many) and tried again. */
const MAX_QUEUED = 100_000;
const RETRY_MS = 1000;

const COLUMNS: ReadonlyArray<keyof GatewayRequestsTable> = [
  "id", "organization_id", "occurred_at", "request_id", "upstream_request_id", "credential_type", "credential_hint", "access_token_id",
  "exchange_request_id", "federation_rule_id", "service_account_id", "subject", "api_key_id", "workspace_id", "method", "path",
  "path_family", "model", "status", "outcome", "reason", "streamed", "input_tokens", "output_tokens", "cache_creation_input_tokens",
  "cache_read_input_tokens", "ttfb_ms", "duration_ms", "request_bytes", "response_bytes",
];

export function openGatewayRequestLog(store: Store): GatewayRequestLog {
  // SQLite: one prepared insert per row, all in one group-committed transaction.
  const insertOne =
    store.kind === "sqlite"
      ? new PreparedQuery(store, (db, p: Params<GatewayRequestRow>) =>
          db.insertInto("gateway_requests").values(Object.fromEntries(COLUMNS.map((c) => [c, p[c]])) as GatewayRequestRow),
        )
      : undefined;
  const write = async (rows: GatewayRequestRow[]) => {
    if (insertOne) await transaction(store, rows.map((row) => insertOne.with(row)));
    else await store.db.insertInto("gateway_requests").values(rows).execute();
  };

  let queue: GatewayRequestRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;
  let dropped = 0;

  const schedule = (delayMs?: number) => {
    if (timer) return;
    const run = () => {
      timer = undefined;
      void flushNow();
    };
    timer = setTimeout(run, delayMs ?? FLUSH_DELAY_MS);
  };

  const flushNow = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    // One write at a time, in order: rows are committed in the order their requests ended.
    writing = writing.then(async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        try {
          await write(batch);
        } catch (err) {
          logger().error({ err, rows: batch.length }, "gateway audit: writing rows failed; retrying");
          queue = [...batch, ...queue].slice(0, MAX_QUEUED);
          if (!closed) schedule(RETRY_MS);
          return;
        }
      }
    });
    return writing;
  };

  return {
    append(row) {
      if (closed) {
        if (dropped++ === 0) logger().error({ request_id: row.request_id }, "gateway audit: a row arrived after the log closed; it was not written");
        return;
      }
      queue.push(row);
      if (queue.length >= MAX_BATCH) void flushNow();
      else schedule();
    },
    flush: () => flushNow(),
    async close() {
      await flushNow();
      closed = true;
    },
  };
}
