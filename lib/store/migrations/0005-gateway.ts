/**
 * The Claude API gateway: upstream settings (the organization's default and per-workspace
 * overrides, keys encrypted), per-subject limits, one audit row per forwarded request, and on
 * PostgreSQL the counters the limits share across instances (rate-limiter-flexible's table
 * layout, created here so no instance runs DDL at run time).
 * @see docs/gateway.md
 */
import { sql, SqliteAdapter, type Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("gateway_upstreams")
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    // `*` for the organization's default; otherwise a workspace's override.
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("base_url", "text")
    .addColumn("api_key_sealed", "text")
    .addColumn("api_key_last4", "text")
    .addColumn("allow_passthrough", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by_actor_id", "text")
    .addPrimaryKeyConstraint("gateway_upstreams_pk", ["organization_id", "workspace_id"])
    .execute();

  await db.schema
    .createTable("gateway_limits")
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("requests_per_minute", "integer")
    .addColumn("tokens_per_minute", "integer")
    .addColumn("concurrent_streams", "integer")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by_actor_id", "text")
    .addPrimaryKeyConstraint("gateway_limits_pk", ["subject_type", "subject_id"])
    .execute();

  await db.schema
    .createTable("gateway_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("upstream_request_id", "text")
    .addColumn("credential_type", "text", (c) => c.notNull())
    .addColumn("credential_hint", "text")
    .addColumn("access_token_id", "text")
    .addColumn("exchange_request_id", "text")
    .addColumn("federation_rule_id", "text")
    .addColumn("service_account_id", "text")
    .addColumn("subject", "text")
    .addColumn("api_key_id", "text")
    .addColumn("workspace_id", "text")
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("path_family", "text", (c) => c.notNull())
    .addColumn("model", "text")
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("streamed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("input_tokens", "integer")
    .addColumn("output_tokens", "integer")
    .addColumn("cache_creation_input_tokens", "integer")
    .addColumn("cache_read_input_tokens", "integer")
    .addColumn("ttfb_ms", "integer")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("request_bytes", "integer", (c) => c.notNull())
    .addColumn("response_bytes", "integer", (c) => c.notNull())
    .execute();
  for (const column of ["service_account_id", "api_key_id", "workspace_id"]) {
    await db.schema.createIndex(`gateway_requests_${column}`).on("gateway_requests").columns([column, "id"]).execute();
  }
  await db.schema.createIndex("gateway_requests_request").on("gateway_requests").column("request_id").execute();
  await db.schema.createIndex("gateway_requests_occurred").on("gateway_requests").column("occurred_at").execute();

  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create table gateway_rate_limits (key varchar(255) primary key, points integer not null default 0, expire bigint)`.execute(db);
}

export async function down(db: Db): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await db.schema.dropTable("gateway_rate_limits").execute();
  await db.schema.dropTable("gateway_requests").execute();
  await db.schema.dropTable("gateway_limits").execute();
  await db.schema.dropTable("gateway_upstreams").execute();
}
