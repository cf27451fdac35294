/**
 * Cursor pagination over tagged, time-ordered IDs, newest first. Replies carry both shapes
 * the SDK knows: `Page` (`has_more`, `first_id`, `last_id`, query `after_id`/`before_id`)
 * and `PageCursor` (`next_page`, query `page`).
 */
import { sql, type SelectQueryBuilder } from "kysely";
import { invalidRequest } from "../core/errors";

export interface PageQuery {
  limit: number;
  after_id?: string | undefined;
  before_id?: string | undefined;
  page?: string | undefined;
}

export interface PageResult<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
  next_page: string | null;
}

const encodeCursor = (id: string) => Buffer.from(JSON.stringify({ after: id })).toString("base64url");

function decodeCursor(page: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(page, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string" && parsed.after.length <= 128) return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw invalidRequest("page", "is not a cursor this server issued; pass the next_page value from the previous reply");
}

/**
 * Run `qb` one page at a time. `idColumn` must be unique and time-ordered; rows must carry it
 * as `id` (or pass `getId`).
 */
export async function paginate<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  query: PageQuery,
  idColumn: string,
  getId: (row: O) => string,
): Promise<PageResult<O>> {
  if (query.after_id && query.before_id) throw invalidRequest("before_id", "cannot be combined with after_id");
  const after = query.after_id ?? (query.page ? decodeCursor(query.page) : undefined);
  const col = sql.ref(idColumn);
  let rows: O[];
  if (query.before_id) {
    // Newer items than before_id: walk upwards, then present newest first.
    rows = await qb
      .where(col as never, ">", query.before_id as never)
      .orderBy(col as never, "asc")
      .limit(query.limit + 1)
      .execute();
    const hasMore = rows.length > query.limit;
    rows = rows.slice(0, query.limit).reverse();
    return shape(rows, hasMore, getId);
  }
  rows = await (after ? qb.where(col as never, "<", after as never) : qb)
    .orderBy(col as never, "desc")
    .limit(query.limit + 1)
    .execute();
  const hasMore = rows.length > query.limit;
  return shape(rows.slice(0, query.limit), hasMore, getId);
}

function shape<O>(rows: O[], hasMore: boolean, getId: (row: O) => string): PageResult<O> {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const lastId = last ? getId(last) : null;
  return {
    data: rows,
    has_more: hasMore,
    first_id: first ? getId(first) : null,
    last_id: lastId,
    next_page: hasMore && lastId ? encodeCursor(lastId) : null,
  };
}

/** Apply a row→DTO mapping to a page. */
export function mapPage<A, B>(page: PageResult<A>, fn: (row: A) => B): PageResult<B> {
  return { ...page, data: page.data.map(fn) };
}

/** Whether a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || e?.code === "23505";
}
