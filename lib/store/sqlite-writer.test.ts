/**
 * The writer thread on its own: what is submitted before `close()` is committed, and a thread
 * that cannot run fails what waits instead of leaving it hanging.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { NothingChanged, startWriter, SqliteWriteError } from "./sqlite-writer";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-writer-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function database(name: string): string {
  const file = path.join(dir, name);
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.exec("create table t (k text primary key, v integer not null)");
  db.close();
  return file;
}

const insert = (k: string, v: number, mustChange = false) => ({ sql: "insert into t (k, v) values (?, ?) on conflict (k) do nothing", params: [k, v], mustChange });

it("commits what was submitted before close, and answers each transaction on its own", async () => {
  const file = database("close.db");
  const writer = startWriter(file, { pragmas: ["busy_timeout = 5000"] });
  const results = await Promise.allSettled([
    writer.submit([insert("a", 1)]),
    writer.submit([insert("a", 2, true)]), // the key is taken: abandoned
    writer.submit([insert("b", 1), { sql: "insert into t (k, v) values (?, ?)", params: ["c", null], mustChange: false }]), // NOT NULL fails late: rolled back alone
  ]);
  const last = writer.submit([insert("d", 4)]);
  await writer.close();
  await last;
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected"]);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(NothingChanged);
  expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(SqliteWriteError);
  expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: "SQLITE_CONSTRAINT_NOTNULL" });
  const db = new SQLite(file, { readonly: true });
  expect(db.prepare("select k, v from t order by k").all()).toEqual([
    { k: "a", v: 1 },
    { k: "d", v: 4 },
  ]);
  db.close();
});

it("fails a transaction when its thread cannot open the database, instead of leaving it waiting", async () => {
  const writer = startWriter(path.join(dir, "no-such-dir", "x.db"), { pragmas: ["busy_timeout = 5000"] });
  await expect(writer.submit([insert("a", 1)])).rejects.toThrow(/SQLite writer thread stopped/);
  await expect(writer.submit([insert("b", 1)])).rejects.toThrow(/SQLite writer thread stopped/);
  await writer.close();
});
