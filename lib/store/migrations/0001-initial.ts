/**
 * The initial schema. Portable column types only (see ../schema.ts) so that SQLite and
 * PostgreSQL run the same migration.
 */
import { sql, type CreateTableBuilder, type Kysely } from "kysely";

type Db = Kysely<unknown>;

/** created/updated/archived timestamps and the actors behind them, on every managed resource. */
function withAuditColumns<T extends string>(t: CreateTableBuilder<T, never>): CreateTableBuilder<T, never> {
  return t
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addColumn("created_by_actor_id", "text")
    .addColumn("updated_by_actor_id", "text")
    .addColumn("archived_by_actor_id", "text");
}

const live = (table: string, name: string, columns: string[]) => ({ table, name, columns });

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("workspaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("display_color", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("data_residency", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .execute();

  await db.schema
    .createTable("service_accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("organization_role", "text", (c) => c.notNull())
    .$call(withAuditColumns)
    .execute();

  await db.schema
    .createTable("service_account_workspaces")
    .addColumn("service_account_id", "text", (c) => c.notNull().references("service_accounts.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("workspace_role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by_actor_id", "text")
    .addPrimaryKeyConstraint("service_account_workspaces_pk", ["service_account_id", "workspace_id"])
    .execute();

  await db.schema
    .createTable("federation_issuers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("issuer_url", "text", (c) => c.notNull())
    .addColumn("jwks", "text", (c) => c.notNull())
    .addColumn("check_jti", "integer", (c) => c.notNull())
    .addColumn("max_jwt_lifetime_seconds", "integer", (c) => c.notNull())
    .addColumn("jwks_polling_disabled_at", "text")
    .addColumn("poll_consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("poll_last_fetched_at", "text")
    .addColumn("poll_next_at", "text")
    .addColumn("poll_last_error", "text")
    .$call(withAuditColumns)
    .execute();

  await db.schema
    .createTable("federation_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("issuer_id", "text", (c) => c.notNull().references("federation_issuers.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("match", "text", (c) => c.notNull())
    .addColumn("service_account_id", "text", (c) => c.notNull().references("service_accounts.id"))
    .addColumn("oauth_scope", "text", (c) => c.notNull())
    .addColumn("token_lifetime_seconds", "integer", (c) => c.notNull())
    .addColumn("workspace_id", "text")
    .addColumn("applies_to_all_workspaces", "integer", (c) => c.notNull().defaultTo(0))
    .$call(withAuditColumns)
    .execute();

  await db.schema
    .createTable("federation_rule_workspaces")
    .addColumn("federation_rule_id", "text", (c) => c.notNull().references("federation_rules.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by_actor_id", "text")
    .addPrimaryKeyConstraint("federation_rule_workspaces_pk", ["federation_rule_id", "workspace_id"])
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("partial_key_hint", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text")
    .addColumn("service_account_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by_type", "text")
    .addColumn("created_by_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("last_used_at", "text")
    .execute();

  await db.schema
    .createTable("access_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("organization_id", "text", (c) => c.notNull())
    .addColumn("federation_rule_id", "text", (c) => c.notNull())
    .addColumn("service_account_id", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("access_tokens_expires").on("access_tokens").column("expires_at").execute();

  await db.schema
    .createTable("used_jtis")
    .addColumn("issuer_id", "text", (c) => c.notNull())
    .addColumn("jti", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("used_jtis_pk", ["issuer_id", "jti"])
    .execute();
  await db.schema.createIndex("used_jtis_expires").on("used_jtis").column("expires_at").execute();

  await db.schema
    .createTable("auth_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("detail", "text")
    .addColumn("federation_rule_id", "text")
    .addColumn("issuer_id", "text")
    .addColumn("service_account_id", "text")
    .addColumn("workspace_id", "text")
    .addColumn("subject", "text")
    .addColumn("claims", "text")
    .addColumn("claims_verified", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("access_token_id", "text")
    .addColumn("client_ip", "text")
    .execute();
  await db.schema.createIndex("auth_events_request").on("auth_events").column("request_id").execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_label", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("detail", "text")
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // Names are unique among live resources only, so archiving frees a name for reuse.
  for (const ix of [
    live("service_accounts", "service_accounts_live_name", ["organization_id", "name"]),
    live("federation_issuers", "federation_issuers_live_name", ["organization_id", "name"]),
    live("federation_rules", "federation_rules_live_name", ["organization_id", "name"]),
  ]) {
    await db.schema.createIndex(ix.name).on(ix.table).columns(ix.columns).unique().where(sql.ref("archived_at"), "is", null).execute();
  }
  await db.schema.createIndex("federation_rules_issuer").on("federation_rules").column("issuer_id").execute();
}

export async function down(): Promise<void> {
  throw new Error("The initial migration cannot be reverted; restore from a backup instead.");
}
