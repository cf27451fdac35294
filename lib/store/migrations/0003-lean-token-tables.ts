/**
 * The two tables every grant inserts into, with fewer and smaller b-trees (measured on the
 * bench: the writer's CPU per grant grew with these tables, as random-key index pages fell
 * out of its cache):
 * - access_tokens loses its unique index on `token_hash`. A token now carries its record's ID
 *   (lib/federation/secrets.ts), so authentication looks it up by primary key — time-ordered,
 *   appended at the end — and compares the hash after. On SQLite the table also becomes
 *   WITHOUT ROWID (one b-tree, not a table plus its key index).
 * - used_jtis becomes WITHOUT ROWID on SQLite: its primary key is the table.
 *
 * Tokens minted before this migration do not carry an ID and stop authenticating; they live
 * at most 24 hours, and the SDKs exchange again for a new one.
 */
import { sql, SqliteAdapter, type Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    // Kysely's inline `unique()` is PostgreSQL's default name for the constraint.
    await sql`alter table access_tokens drop constraint if exists access_tokens_token_hash_key`.execute(db);
    return;
  }
  await sql`create table access_tokens_lean (
    id text primary key, token_hash text not null, organization_id text not null,
    federation_rule_id text not null, service_account_id text not null, workspace_id text not null,
    scope text not null, subject text not null, request_id text not null,
    created_at text not null, expires_at text not null
  ) without rowid`.execute(db);
  await sql`insert into access_tokens_lean select id, token_hash, organization_id, federation_rule_id, service_account_id, workspace_id, scope, subject, request_id, created_at, expires_at from access_tokens`.execute(db);
  await sql`drop table access_tokens`.execute(db);
  await sql`alter table access_tokens_lean rename to access_tokens`.execute(db);
  await sql`create index access_tokens_expires on access_tokens (expires_at)`.execute(db);

  await sql`create table used_jtis_lean (
    issuer_id text not null, jti text not null, expires_at text not null,
    primary key (issuer_id, jti)
  ) without rowid`.execute(db);
  await sql`insert into used_jtis_lean select issuer_id, jti, expires_at from used_jtis`.execute(db);
  await sql`drop table used_jtis`.execute(db);
  await sql`alter table used_jtis_lean rename to used_jtis`.execute(db);
  await sql`create index used_jtis_expires on used_jtis (expires_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("0003 cannot be reverted: tokens minted since carry their ID and have no unique hash index to return to.");
}
