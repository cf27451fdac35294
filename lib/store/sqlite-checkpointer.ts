/**
 * Background WAL checkpoints for SQLite. A checkpoint copies the WAL's pages into the database
 * file and fsyncs both; SQLite runs it inside whichever commit crosses the threshold, which on
 * the token path meant the event loop stood still through two fsyncs every ~1000 pages
 * (measured: ~85 µs of wall time per grant, p99 stalls of tens of ms on a busy disk).
 *
 * Here a worker thread with its own connection checkpoints PASSIVE-ly every
 * `INTERVAL_MS`: it never blocks the writer and never changes the data, so the main
 * connection keeps its page cache. The main connection keeps a high auto-checkpoint as a
 * backstop (db.ts): under a sustained write load the WAL can only restart after a checkpoint
 * that caught up completely, which the writer then runs itself — cheaply, the worker having
 * copied almost everything already. Durability is unchanged: commits never waited for a
 * checkpoint (WAL, synchronous=NORMAL).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { logger } from "../observability/log";

const INTERVAL_MS = 100;

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest and node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (err) {
    parentPort.postMessage(String(err && err.message));
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stop the thread and close its connection. */
  close(): Promise<void>;
}

/** Start checkpointing `file` (a WAL-mode SQLite database) in the background. */
export function startCheckpointer(file: string): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver: createRequire(import.meta.url).resolve("better-sqlite3"), intervalMs: INTERVAL_MS },
  });
  // The timer must not keep a finished process alive.
  worker.unref();
  worker.on("message", (message: string) => logger().error({ detail: message }, "SQLite checkpoint failed"));
  worker.on("error", (err) => logger().error({ err }, "SQLite checkpointer stopped"));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async close() {
      worker.ref(); // waiting for the exit must keep the process alive
      worker.postMessage("close");
      await exited;
    },
  };
}
