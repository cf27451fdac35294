/**
 * The SQLite writer thread: transactions submitted through `transaction()` (the token path's
 * grants and denials) are committed on a worker thread with its own connection, so the event
 * loop verifies the next assertion while the last ones are written. Measured on the bench
 * (README, "Performance"): the writes were ~70 µs of the ~300 µs of main-thread CPU a grant
 * cost, and the main thread was the bottleneck.
 *
 * Group commit: while one batch is being written, new transactions queue; the next batch is
 * everything that queued, written as ONE SQLite transaction (the pages a grant touches — table
 * and index tails — are mostly the ones the previous grant touched). Each transaction still
 * applies all or nothing, without a savepoint each (the statement journal was a third of a
 * grant's write cost): a transaction whose FIRST step fails wrote nothing (SQLite undoes a
 * failed statement), so it is rejected alone and the batch goes on — the common case, a
 * `claim` on a consumed `jti`. If a later step fails, the batch is rolled back and each
 * transaction is applied on its own, so only the failing one is rejected. No caller hears of
 * success before the commit that holds its writes.
 *
 * The main connection still writes for everything else (Admin API, console). Two writers
 * take turns on SQLite's write lock: the main connection's transactions begin IMMEDIATE
 * (db.ts), so they wait for a batch to commit rather than fail when upgrading to write.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** One statement of a transaction, in the form it crosses to the thread. */
export interface WriteStep {
  sql: string;
  /** Strings, numbers and nulls: they cross to the thread as JSON. */
  params: Array<string | number | null>;
  /** Changing no row abandons the transaction with `NothingChanged` (a `claim`). */
  mustChange: boolean;
}

/** A `claim` step changed nothing (its key was taken): the transaction was not applied. */
export class NothingChanged extends Error {
  constructor() {
    super("a claimed row already exists; the transaction was not applied");
  }
}

/** An error from the writer's connection, with SQLite's `code` (e.g. SQLITE_CONSTRAINT_PRIMARYKEY). */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface Outcome {
  /** Absent when the transaction committed. */
  error?: { message: string; code?: string; nothingChanged?: boolean };
}

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest, node and Next.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
for (const pragma of workerData.pragmas) db.pragma(pragma);
// 64 MB of page cache (default 2 MB): the jti and token-hash indexes take random inserts, and
// once they outgrow the cache every grant re-read their pages (measured: CPU per grant rose
// round after round of the bench; with this it stays flat).
db.pragma("cache_size = -65536");
// Statements by the number the main thread gave their SQL (sent once, with its first use).
const statements = [];
class NothingChanged extends Error {}
const runSteps = (steps, from, to) => {
  for (let i = from; i < to; i++) {
    const [statement, params, mustChange] = steps[i];
    if (statements[statement].run(...params).changes === 0 && mustChange) throw new NothingChanged();
  }
};
const describe = (err) =>
  err instanceof NothingChanged ? { message: "nothing changed", nothingChanged: true } : { message: String(err && err.message), code: err && err.code };
const runBatch = db.transaction((batch, outcomes) => {
  batch.forEach((steps, i) => {
    try {
      runSteps(steps, 0, Math.min(1, steps.length));
    } catch (err) {
      outcomes[i] = { error: describe(err) }; // its only write failed, so nothing of it is in the batch
      return;
    }
    runSteps(steps, 1, steps.length); // a failure here rolls the whole batch back
  });
});
const runAlone = db.transaction((steps) => runSteps(steps, 0, steps.length));
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  const { define, batch } = JSON.parse(message);
  for (const [number, sql] of define) statements[number] = db.prepare(sql);
  let outcomes = batch.map(() => ({}));
  try {
    runBatch(batch, outcomes);
  } catch {
    // Rolled back: one transaction failed after writing, or the commit failed. Apply each alone.
    outcomes = batch.map((steps) => {
      try {
        runAlone(steps);
        return {};
      } catch (err) {
        return { error: describe(err) };
      }
    });
  }
  parentPort.postMessage(outcomes);
});
`;

interface Pending {
  steps: WriteStep[];
  resolve(): void;
  reject(err: unknown): void;
}

export interface SqliteWriter {
  /** Commit `steps` as one transaction; resolves once committed. */
  submit(steps: WriteStep[]): Promise<void>;
  /** Finish what was submitted, then stop the thread and close its connection. */
  close(): Promise<void>;
}

/** Start the writer thread for `file` (a WAL-mode SQLite database, already migrated); `pragmas` set up its connection. */
export function startWriter(file: string, options: { pragmas: string[] }): SqliteWriter {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver: createRequire(import.meta.url).resolve("better-sqlite3"), pragmas: options.pragmas },
  });
  worker.unref(); // an idle writer must not keep a finished process alive
  // SQL crosses once: later steps name their statement by number.
  const statementNumbers = new Map<string, number>();
  let queue: Pending[] = [];
  let inFlight: Pending[] | undefined;
  let failure: Error | undefined;
  let drained: (() => void) | undefined;

  const send = () => {
    if (inFlight || queue.length === 0) {
      if (!inFlight) drained?.();
      return;
    }
    inFlight = queue;
    queue = [];
    worker.ref(); // a batch being written keeps the process alive until it is answered
    const define: Array<[number, string]> = [];
    const batch = inFlight.map((p) =>
      p.steps.map(({ sql, params, mustChange }) => {
        let number = statementNumbers.get(sql);
        if (number === undefined) {
          number = statementNumbers.size;
          statementNumbers.set(sql, number);
          define.push([number, sql]);
        }
        return [number, params, mustChange];
      }),
    );
    // As JSON text: cloning the params as a structure cost ~0.5 µs per value (measured).
    worker.postMessage(JSON.stringify({ define, batch }));
  };

  worker.on("message", (outcomes: Outcome[]) => {
    const batch = inFlight!;
    inFlight = undefined;
    worker.unref();
    batch.forEach((pending, i) => {
      const error = outcomes[i]?.error;
      if (!error) pending.resolve();
      else pending.reject(error.nothingChanged ? new NothingChanged() : new SqliteWriteError(error.message, error.code));
    });
    send();
  });
  /** The thread is gone (it could not open the database, say): fail what waits and what comes. */
  const stopped = (why: string) => {
    failure ??= new Error(`SQLite writer thread stopped: ${why}`);
    const waiting = [...(inFlight ?? []), ...queue];
    if (waiting.length > 0) console.error(failure.message);
    for (const pending of waiting) pending.reject(failure);
    inFlight = undefined;
    queue = [];
    drained?.();
  };
  worker.on("error", (err) => stopped(err.message));
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", (code) => {
      stopped(`exited with code ${code}`);
      resolve();
    }),
  );

  return {
    submit(steps) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ steps, resolve, reject });
        // After this turn's I/O callbacks, so the requests that finished together travel together.
        if (queue.length === 1 && !inFlight) setImmediate(send);
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        drained = resolve;
        send();
      });
      worker.ref(); // waiting for the exit must keep the process alive
      worker.postMessage("close");
      await exited;
    },
  };
}
