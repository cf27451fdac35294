/**
 * Migration 0003 on a database that already holds tokens and consumed jtis: the rows survive,
 * a jti stays single-use, and the token hash is no longer a unique index.
 */
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from "kysely";
import SQLite from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase, DATABASE_KINDS } from "../../server/test-server";
import * as m0001 from "./0001-initial";
import * as m0002 from "./0002-policy-version";
import * as m0003 from "./0003-lean-token-tables";
import type { Database } from "../schema";

const token = (id: string, hash: string) => ({
  id,
  token_hash: hash,
  organization_id: "org",
  federation_rule_id: "fdrl_x",
  service_account_id: "svac_x",
  workspace_id: "wrkspc_x",
  scope: "workspace:developer",
  subject: "repo:acme/app",
  request_id: `req_${id}`,
  created_at: "2026-01-01T00:00:00.000Z",
  expires_at: "2030-01-01T00:00:00.000Z",
});

describe.each(DATABASE_KINDS)("migration 0003 (%s)", (kind) => {
  it("keeps existing tokens and jtis, keeps jtis single-use, and drops the hash's uniqueness", async () => {
    const database = await createTestDatabase(kind);
    const db = new Kysely<Database>({
      dialect:
        kind === "sqlite"
          ? new SqliteDialect({ database: new SQLite(database.url.slice("file:".length)) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
    });
    const migrate = (migrations: Record<string, Migration>) => new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
    try {
      expect((await migrate({ "0001-initial": m0001, "0002-policy-version": m0002 })).error).toBeUndefined();
      await db.insertInto("access_tokens").values([token("oat_a", "h1"), token("oat_b", "h2")]).execute();
      await db.insertInto("used_jtis").values({ issuer_id: "fdis_x", jti: "j1", expires_at: "2030-01-01T00:00:00.000Z" }).execute();

      expect((await migrate({ "0001-initial": m0001, "0002-policy-version": m0002, "0003-lean-token-tables": m0003 })).error).toBeUndefined();

      expect(await db.selectFrom("access_tokens").select(["id", "token_hash"]).orderBy("id").execute()).toEqual([
        { id: "oat_a", token_hash: "h1" },
        { id: "oat_b", token_hash: "h2" },
      ]);
      expect(await db.selectFrom("used_jtis").select("jti").execute()).toEqual([{ jti: "j1" }]);
      await expect(db.insertInto("used_jtis").values({ issuer_id: "fdis_x", jti: "j1", expires_at: "2030-01-01T00:00:00.000Z" }).execute()).rejects.toThrow();
      await expect(db.insertInto("access_tokens").values(token("oat_a", "h9")).execute()).rejects.toThrow(); // the ID stays the key
      await db.insertInto("access_tokens").values(token("oat_c", "h1")).execute(); // a hash is no longer unique
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
