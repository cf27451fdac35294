/**
 * When an issuer's last key fetch failed: the console shows the failure's text, its time and
 * the next try beside each issuer, so a failing issuer never looks healthy.
 * @see docs/behaviour.md#federation-issuers
 */
import type { Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable("federation_issuers").addColumn("poll_last_failed_at", "text").execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable("federation_issuers").dropColumn("poll_last_failed_at").execute();
}
