/**
 * PostgreSQL going away under an idle pool (a restart, a failover) must not crash the server:
 * the pool reports the lost connection — its message and code, not the pg client hung on the
 * error (settings, statements, the backend's cancel key) — and the next query gets a new one.
 */
import pino from "pino";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { captureLogs } from "../../e2e/support/log-capture";
import { createTestDatabase } from "../../e2e/support/test-server";
import { logger, loggerOptions, setLogger } from "../observability/log";
import { openStore, type Store } from "./db";

let store: Store;
let database: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  store = await openStore({ kind: "postgres", url: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

it("survives the server terminating its idle connections, logs it in one short line, and queries again", async () => {
  const previous = logger();
  const logs = captureLogs();
  setLogger(pino(loggerOptions("info"), logs));
  await store.db.selectFrom("policy_version").select("version").execute(); // at least one idle pooled connection
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const { rows } = await admin.query<{ terminated: boolean }>(
    "select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
  );
  await admin.end();
  expect(rows.length).toBeGreaterThan(0);
  // The terminated connection is reported asynchronously; the next query must still work.
  await expect.poll(async () => (await store.db.selectFrom("policy_version").select("version").executeTakeFirst())?.version).toBe(0);
  const lost = await logs.waitFor((line) => String(line.msg).startsWith("PostgreSQL: an idle connection failed"));
  setLogger(previous);
  // "terminating connection due to administrator command" (57P01) or "Connection terminated
  // unexpectedly", depending on which the client reads first.
  expect(lost.err).toMatchObject({ message: expect.stringMatching(/terminat/i) });
  expect(lost.err).not.toHaveProperty("client");
  expect(logs.text()).not.toMatch(/secretKey|parsedStatements|connectionParameters/);
});
