/**
 * Retention prunes history and configuration audit by age (lib/store/retention.ts): indexes
 * on their `occurred_at`, so each batch finds its oldest rows without a scan. The gateway's
 * request audit (0005), consumed jtis and access tokens (0001) have theirs already.
 * @see docs/behaviour.md#retention
 */
import type { Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex("auth_events_occurred").on("auth_events").column("occurred_at").execute();
  await db.schema.createIndex("audit_events_occurred").on("audit_events").column("occurred_at").execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("auth_events_occurred").execute();
  await db.schema.dropIndex("audit_events_occurred").execute();
}
