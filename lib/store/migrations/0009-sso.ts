/**
 * Console single sign-on and second factors: OIDC providers (client secret sealed with
 * lib/core/secret-box.ts, role mappings as JSON), the `state` values already used at the
 * callback (a replayed callback is refused), the link from a user to their provider's
 * subject, a TOTP secret per local user and their hashed recovery codes.
 * @see docs/security.md#console-single-sign-on
 */
import type { Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("sso_providers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("issuer_url", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("client_secret_sealed", "text")
    .addColumn("client_secret_last4", "text")
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("allowed_domains", "text", (c) => c.notNull())
    .addColumn("role_mappings", "text", (c) => c.notNull())
    // `console` or `environment` (WIF_SSO_PROVIDERS; read-only in the console).
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by_actor_id", "text")
    .execute();

  await db.schema
    .createTable("sso_used_states")
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("users").addColumn("sso_provider_id", "text").execute();
  await db.schema.alterTable("users").addColumn("sso_subject", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_secret_sealed", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_enabled_at", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_last_step", "integer").execute();
  await db.schema.createIndex("users_sso_subject").on("users").columns(["sso_provider_id", "sso_subject"]).unique().execute();

  await db.schema
    .createTable("user_recovery_codes")
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("user_recovery_codes_user").on("user_recovery_codes").column("user_id").execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("user_recovery_codes").execute();
  await db.schema.dropIndex("users_sso_subject").execute();
  for (const column of ["totp_last_step", "totp_enabled_at", "totp_secret_sealed", "sso_subject", "sso_provider_id"]) {
    await db.schema.alterTable("users").dropColumn(column).execute();
  }
  await db.schema.dropTable("sso_used_states").execute();
  await db.schema.dropTable("sso_providers").execute();
}
