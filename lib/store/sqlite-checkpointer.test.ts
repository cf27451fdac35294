/**
 * Background checkpoints: committed pages reach the database file without the writing
 * connection checkpointing (its own threshold is far above what this test writes).
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase } from "../../e2e/support/test-server";
import { openStore, type Store } from "./db";

let store: Store;
let file: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase("sqlite");
  drop = database.drop;
  file = database.url.slice("file:".length);
  store = await openStore({ kind: "sqlite", file });
});
afterAll(async () => {
  await store?.close();
  await drop?.();
});

it("copies committed WAL pages into the database file in the background", async () => {
  expect(store.sqlite!.pragma("wal_autocheckpoint", { simple: true })).toBeGreaterThanOrEqual(10_000);
  const before = fs.statSync(file).size;
  const insert = store.sqlite!.prepare("insert into used_jtis (issuer_id, jti, expires_at) values (?, ?, ?)");
  // ~2 MB of index and table pages: hundreds of WAL frames, far below the writer's own threshold.
  store.sqlite!.transaction(() => {
    for (let i = 0; i < 10_000; i++) insert.run("fdis_checkpoint", `${i}-${"x".repeat(100)}`, "2030-01-01T00:00:00.000Z");
  })();
  expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1024 * 1024);
  await expect.poll(() => fs.statSync(file).size, { timeout: 10_000 }).toBeGreaterThan(before + 1024 * 1024);
});
