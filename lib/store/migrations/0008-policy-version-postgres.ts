/**
 * The policy version (migration 0002) on PostgreSQL too, so the token path there can keep the
 * rules it has read in memory as SQLite's does (exchange-store.ts). Every instance sharing the
 * database reads the counter in the same statement as its per-exchange `jti` check, so a
 * change committed by any instance, the CLI or a person at psql shows on the next exchange
 * everywhere.
 *
 * The counter moves in a constraint trigger deferred to commit, not in a plain trigger: the
 * update of its one row takes that row's lock, and taken mid-transaction it could deadlock two
 * administrators' transactions that then touch each other's rows. At commit a transaction
 * takes no other lock after it, so it can only wait, never deadlock; and a reader that sees
 * the new number sees the change with it (one transaction, one snapshot).
 * @see docs/architecture.md#token-path-caches
 */
import { sql, SqliteAdapter, type Kysely } from "kysely";

type Db = Kysely<unknown>;

/** The tables `RuleContext` is read from (exchange-store.ts, `ruleContext`): those of 0002's SQLite triggers. */
const POLICY_TABLES = ["federation_rules", "federation_issuers", "service_accounts", "workspaces", "federation_rule_workspaces"];

export async function up(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return; // 0002's triggers already move it
  await sql`
    create function wif_bump_policy_version() returns trigger language plpgsql as $$
    begin
      update policy_version set version = version + 1 where id = 1;
      return null;
    end
    $$`.execute(db);
  for (const table of POLICY_TABLES) {
    await sql
      .raw(`create constraint trigger ${table}_policy_version after insert or update or delete on ${table} deferrable initially deferred for each row execute function wif_bump_policy_version()`)
      .execute(db);
  }
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  for (const table of POLICY_TABLES) await sql.raw(`drop trigger if exists ${table}_policy_version on ${table}`).execute(db);
  await sql`drop function if exists wif_bump_policy_version()`.execute(db);
}
