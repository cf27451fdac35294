/**
 * The committer on its own: each transaction is answered on its own within a batch, what is
 * submitted before `close()` is committed, and another connection's write lock is waited for
 * without stopping the event loop — for a bounded time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { NothingChanged, SqliteWriteError, startCommitter } from "./sqlite-committer";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-committer-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function database(name: string): string {
  const file = path.join(dir, name);
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.exec("create table t (k text primary key, v integer not null)");
  db.close();
  return file;
}

const insert = (k: string, v: number | null, mustChange = false) => ({ sql: "insert into t (k, v) values (?, ?) on conflict (k) do nothing", params: [k, v], mustChange });

function rows(file: string) {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare("select k, v from t order by k").all();
  } finally {
    db.close();
  }
}

it("commits one batch, answering each transaction on its own, and what was submitted before close", async () => {
  const file = database("batch.db");
  const committer = startCommitter(file, { pragmas: [] });
  const results = await Promise.allSettled([
    committer.submit([insert("a", 1)]),
    committer.submit([insert("a", 2, true)]), // the key is taken: abandoned
    committer.submit([insert("b", 1), insert("c", null)]), // NOT NULL fails late: rolled back alone
    committer.submit([insert("e", 5), insert("f", 6)]),
  ]);
  const last = committer.submit([insert("d", 4)]);
  await committer.close();
  await last;
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(NothingChanged);
  expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(SqliteWriteError);
  expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: "SQLITE_CONSTRAINT_NOTNULL" });
  expect(rows(file)).toEqual([
    { k: "a", v: 1 },
    { k: "d", v: 4 },
    { k: "e", v: 5 },
    { k: "f", v: 6 },
  ]);
  await expect(committer.submit([insert("g", 7)])).rejects.toThrow(/closed/);
});

it("waits for another connection's write lock without stopping the event loop, then commits", async () => {
  const file = database("locked.db");
  const committer = startCommitter(file, { pragmas: [] });
  const other = new SQLite(file);
  other.exec("begin immediate");
  other.prepare("insert into t (k, v) values ('held', 0)").run();
  let committed = false;
  const grant = committer.submit([insert("a", 1)]).then(() => (committed = true));
  // The event loop keeps turning while the lock is held (a blocking wait would stop it here).
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(committed).toBe(false);
  other.exec("commit");
  other.close();
  await grant;
  expect(rows(file)).toEqual([
    { k: "a", v: 1 },
    { k: "held", v: 0 },
  ]);
  await committer.close();
});

it("gives up on a lock held past its wait, with an error that says so, and writes nothing", async () => {
  const file = database("stuck.db");
  const committer = startCommitter(file, { pragmas: [], lockWaitMs: 20 });
  const other = new SQLite(file);
  other.exec("begin immediate");
  await expect(committer.submit([insert("a", 1)])).rejects.toMatchObject({ code: "SQLITE_BUSY", message: expect.stringMatching(/locked by another connection for over 20 ms/) });
  other.exec("rollback");
  other.close();
  // The committer is usable again once the lock is free.
  await committer.submit([insert("b", 2)]);
  await committer.close();
  expect(rows(file)).toEqual([{ k: "b", v: 2 }]);
});
