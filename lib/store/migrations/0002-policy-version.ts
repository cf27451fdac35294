/**
 * A counter that moves whenever anything a federation rule's decision reads changes: the rule,
 * its issuer, its service account, its workspaces. On SQLite, triggers bump it in the same
 * transaction as the change, so the token path can keep rules it has read in memory and trust
 * them exactly as long as the counter has not moved (exchange-store.ts) — whoever wrote,
 * this process, another one, or the admin CLI.
 *
 * PostgreSQL gets the table but no triggers: its token path does not cache, so the counter is
 * never read there.
 */
import { sql, SqliteAdapter, type Kysely } from "kysely";

type Db = Kysely<unknown>;

/** The tables `RuleContext` is read from (exchange-store.ts, `ruleContext`). */
const POLICY_TABLES = ["federation_rules", "federation_issuers", "service_accounts", "workspaces", "federation_rule_workspaces"];

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("policy_version")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
  await sql`insert into policy_version (id, version) values (1, 0)`.execute(db);
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const table of POLICY_TABLES) {
    for (const event of ["insert", "update", "delete"]) {
      await sql
        .raw(`create trigger ${table}_${event}_policy_version after ${event} on ${table} begin update policy_version set version = version + 1 where id = 1; end`)
        .execute(db);
    }
  }
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const table of POLICY_TABLES) for (const event of ["insert", "update", "delete"]) await sql.raw(`drop trigger if exists ${table}_${event}_policy_version`).execute(db);
  }
  await db.schema.dropTable("policy_version").execute();
}
