/**
 * API keys may expire (`expires_at`, a column since 0001): an index for the list's
 * `status=expired` filter and the console's "expiring within a week" banner, which look keys
 * up by organization and expiry.
 * @see docs/behaviour.md#api-key-expiry
 */
import type { Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex("api_keys_org_expiry").on("api_keys").columns(["organization_id", "expires_at"]).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("api_keys_org_expiry").execute();
}
