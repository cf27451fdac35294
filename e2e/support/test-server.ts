/**
 * Test harness: a real server (real HTTP, real database) on an ephemeral port. SQLite runs
 * in a fresh temp file; PostgreSQL in a fresh database created on the local server
 * (127.0.0.1:5432 on this project's machines; override with TEST_POSTGRES_URL) and
 * dropped afterwards. Used by API, conformance and security tests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createAdminKey } from "../../lib/services/api-keys";
import type { AdminContext } from "../../lib/services/context";
import { ensureOrganization } from "../../lib/services/organization";
import { parseConfig, type Config } from "../../lib/config";
import { serve, type RunningServer, type ServeOptions } from "../../lib/server/serve";
import { openStore, type Store } from "../../lib/store/db";

export type DatabaseKind = "sqlite" | "postgres";
export const DATABASE_KINDS: DatabaseKind[] = ["sqlite", "postgres"];

const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestServer extends RunningServer {
  adminKey: string;
  organizationId: string;
  databaseUrl: string;
  /** Stop the HTTP server and close the store, keeping the database (for restart tests). */
  stop(): Promise<void>;
  /** Call the Admin API (`/v1/organizations…`) with the admin key: the reply's JSON, or an error naming the status and body. */
  admin(method: string, path: string, body?: unknown): Promise<{ id: string } & Record<string, unknown>>;
}

/** Create an empty database of `kind` and return its DATABASE_URL and a dropper. */
export async function createTestDatabase(kind: DatabaseKind): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-test-"));
    return { url: `file:${path.join(dir, "wif.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `wif_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServerOptions {
  /**
   * Serve the console through Next too (from the current `.next` build: call
   * `buildConsoleIfStale` first). One such server per process at a time: Next's console
   * code finds the runtime through a process-wide global.
   */
  console?: boolean;
  /** Where the server's log lines go instead of stdout (tests that read them). */
  logDestination?: ServeOptions["logDestination"];
}

export interface TestStore {
  store: Store;
  /** The system acting in the organization, with `config`'s settings (defaults: https only, the hosted audience). */
  ctx: AdminContext;
  /** Close the store and drop the database. */
  close(): Promise<void>;
}

/** A fresh database with the store open and the organization in place, for service tests that need no HTTP. */
export async function openTestStore(kind: DatabaseKind, config: Partial<AdminContext["config"]> = {}): Promise<TestStore> {
  const database = await createTestDatabase(kind);
  const store = await openStore(parseConfig({ DATABASE_URL: database.url }).database);
  const org = await ensureOrganization(store.db);
  return {
    store,
    ctx: {
      db: store.db,
      principal: { kind: "system", organizationId: org.id, label: "test" },
      requestId: null,
      config: { allowInsecureIssuers: false, defaultAudience: "https://api.anthropic.com", ...config },
    },
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** Start a server on `databaseUrl` (port 0; no console unless asked). */
export async function startServerOn(databaseUrl: string, env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<RunningServer & { config: Config }> {
  const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: databaseUrl, NODE_ENV: "test", ...env });
  const server = await serve({ config, console: options.console ?? false, ...(options.logDestination ? { logDestination: options.logDestination } : {}) });
  return Object.assign(server, { config });
}

/** A fresh database and a server on it, with an admin key ready. `close()` drops the database. */
export async function startTestServer(kind: DatabaseKind, env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase(kind);
  const server = await startServerOn(database.url, env, options);
  const { key } = await createAdminKey(server.runtime.store.db, server.runtime.organizationId, "test", { type: "system" });
  const closeServer = server.close.bind(server);
  return Object.assign(server, {
    adminKey: key,
    organizationId: server.runtime.organizationId,
    databaseUrl: database.url,
    stop: closeServer,
    async admin(method: string, path: string, body?: unknown) {
      const res = await fetch(`${server.url}/v1/organizations${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json as { id: string } & Record<string, unknown>;
    },
    async close() {
      await closeServer();
      await database.drop();
    },
  });
}
