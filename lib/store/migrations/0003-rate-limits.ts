/**
 * Counters for rate limits that must hold across instances (sign-in attempts;
 * lib/services/rate-limit.ts), in the layout rate-limiter-flexible's PostgreSQL store
 * reads and writes: one row per key, its points in the current window and when the window
 * ends (epoch milliseconds). Expired rows are deleted by the library every few minutes.
 *
 * PostgreSQL only: on SQLite there is one instance, and its limits live in memory.
 */
import { SqliteAdapter, type Kysely } from "kysely";

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "varchar(255)", (c) => c.primaryKey())
    .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expire", "bigint")
    .execute();
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await db.schema.dropTable("rate_limits").execute();
}
