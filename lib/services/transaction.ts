/**
 * One transaction for a larger change: an operation joins the caller's transaction when its
 * context's `db` already is one (applying a whole configuration file), else opens its own.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema";

export function inTransaction<R>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<R>): Promise<R> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
