/**
 * What every organization-owned resource (issuers, rules, service accounts, workspaces, API
 * keys) does the same way: find a row by ID inside the caller's organization only, refuse a
 * second live row with the same name, page through the list with its archived filter, stamp
 * who created, changed or archived a row, and run a write in one transaction.
 */
import type { Db } from "../store/db";
import type { Kysely, Selectable, SelectQueryBuilder, Transaction } from "kysely";
import { conflict, invalidRequest, notFound } from "../core/errors";
import { listQuery } from "../schemas/common";
import { isUniqueViolation, mapPage, paginate, type PageQuery, type PageResult } from "../store/paginate";
import type { Database } from "../store/schema";
import { auditChange } from "./audit";
import { actorId, assertCanRead, type AdminContext } from "./context";
import { parseInput } from "./parse";
import { inTransaction } from "./transaction";

export type { Db };

/** The columns the lookups below rely on. */
interface OwnedRow {
  id: string;
  organization_id: string;
  name: string;
  archived_at: string | null;
}

/** The tables of resources an organization owns and archives rather than deletes. */
type OwnedTable = { [T in keyof Database]: Database[T] extends OwnedRow ? T : never }[keyof Database];

export interface ResourceTable<T extends OwnedTable> {
  /** The caller's row by ID; a 404 naming the resource when the organization has none. */
  get(db: Db, ctx: AdminContext, id: string): Promise<Selectable<Database[T]>>;
  /** The row an update is about to change: a 404 when missing; archived rows are final (400), `advice` says what to do instead. */
  getForUpdate(db: Db, ctx: AdminContext, id: string, advice?: string): Promise<Selectable<Database[T]>>;
  /** The caller's row a write refers to (`field`); a 400 on that field when it is missing or archived. */
  requireLive(db: Db, ctx: AdminContext, id: string, field: string): Promise<Selectable<Database[T]>>;
  /** A 409 when another live row of the organization already has `name`. */
  assertNameFree(db: Db, ctx: AdminContext, name: string, exceptId?: string): Promise<void>;
  /** A page of the organization's rows, newest first; archived ones only when asked; `narrow` adds filters. */
  page(
    ctx: AdminContext,
    q: PageQuery & { include_archived?: boolean | undefined },
    narrow?: (qb: SelectQueryBuilder<Database, T, Selectable<Database[T]>>) => SelectQueryBuilder<Database, T, Selectable<Database[T]>>,
  ): Promise<PageResult<Selectable<Database[T]>>>;
  /** The reads every resource offers, as operations for callers who may read configuration: a page of DTOs and one DTO by ID. */
  reads<Dto>(toDto: (row: Selectable<Database[T]>) => Dto): { list(ctx: AdminContext, query: unknown): Promise<PageResult<Dto>>; get(ctx: AdminContext, id: string): Promise<Dto> };
  /**
   * Run a write in `trx` when the caller passes one (a larger setup), else in a transaction of
   * its own; a unique-index race on the name becomes the same 409 as `assertNameFree`.
   */
  write<R>(ctx: AdminContext, name: string | null | undefined, work: (trx: Transaction<Database>) => Promise<R>, trx?: Transaction<Database>): Promise<R>;
  /**
   * Archive the caller's row in one transaction, stamped (`changes` written with the stamp) and
   * audited as `<target>.archived`; a row already archived is returned as it is. `refuse` may
   * throw first (the row is still in use); `also` runs after, in the same transaction (what
   * archiving ends). The caller authorises.
   */
  archive(
    ctx: AdminContext,
    id: string,
    steps?: { refuse?(trx: Transaction<Database>, row: Selectable<Database[T]>): Promise<void> | void; changes?: Partial<Selectable<Database[T]>>; also?(trx: Transaction<Database>): Promise<unknown> },
  ): Promise<Selectable<Database[T]>>;
}

/** The standard lookups over `table`, whose rows are called `noun` in error messages ("federation issuer") and `target` in the audit log ("federation_issuer"). */
export function resourceTable<T extends OwnedTable>(table: T, noun: string, target: string): ResourceTable<T> {
  type Row = Selectable<Database[T]>;
  // Kysely cannot follow a column through a table name that is a type parameter; the
  // columns used here exist on every table T can be, so queries are built on that shape.
  const owned = (db: Db, ctx: AdminContext) => (db as unknown as Kysely<{ owned: OwnedRow }>).selectFrom(table as unknown as "owned").where("organization_id", "=", ctx.principal.organizationId);
  const find = async (db: Db, ctx: AdminContext, id: string) => (await owned(db, ctx).selectAll().where("id", "=", id).executeTakeFirst()) as Row | undefined;
  const page: ResourceTable<T>["page"] = async (ctx, q, narrow = (qb) => qb) => {
    const all = owned(ctx.db, ctx).selectAll();
    const qb = (q.include_archived ? all : all.where("archived_at", "is", null)) as unknown as SelectQueryBuilder<Database, T, Row>;
    return paginate(narrow(qb), q, "id", (r) => (r as OwnedRow).id);
  };
  const get = async (db: Db, ctx: AdminContext, id: string) => {
    const row = await find(db, ctx, id);
    if (!row) throw notFound(noun, id);
    return row;
  };

  return {
    get,
    async getForUpdate(db, ctx, id, advice) {
      const row = await get(db, ctx, id);
      if ((row as OwnedRow).archived_at) throw invalidRequest(null, `${noun} ${id} is archived and cannot be updated${advice ? `; ${advice}` : ""}`);
      return row;
    },
    async requireLive(db, ctx, id, field) {
      const row = await find(db, ctx, id);
      if (!row) throw invalidRequest(field, `${noun} ${id} does not exist in this organization`);
      if ((row as OwnedRow).archived_at) throw invalidRequest(field, `${noun} ${id} is archived`);
      return row;
    },
    async assertNameFree(db, ctx, name, exceptId) {
      let q = owned(db, ctx).select("id").where("name", "=", name).where("archived_at", "is", null);
      if (exceptId) q = q.where("id", "!=", exceptId);
      const clash = await q.executeTakeFirst();
      if (clash) throw conflict("name", `a ${noun} named ${JSON.stringify(name)} already exists (${clash.id})`);
    },
    page,
    reads(toDto) {
      return {
        async list(ctx, query) {
          assertCanRead(ctx);
          return mapPage(await page(ctx, parseInput(listQuery, query)), toDto);
        },
        async get(ctx, id) {
          assertCanRead(ctx);
          return toDto(await get(ctx.db, ctx, id));
        },
      };
    },
    async write(ctx, name, work, trx) {
      try {
        return await (trx ? work(trx) : inTransaction(ctx.db, work));
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict("name", `a ${noun} named ${JSON.stringify(name)} already exists`);
        throw err;
      }
    },
    archive(ctx, id, steps = {}) {
      return inTransaction(ctx.db, async (trx) => {
        const row = await get(trx, ctx, id);
        if ((row as OwnedRow).archived_at) return row;
        await steps.refuse?.(trx, row);
        const next = { ...row, ...steps.changes, ...archivedStamp(ctx) };
        await (trx as unknown as Kysely<{ owned: OwnedRow }>).updateTable(table as unknown as "owned").set(next as unknown as OwnedRow).where("id", "=", id).execute();
        await steps.also?.(trx);
        await auditChange(trx, ctx, { action: `${target}.archived`, targetType: target, targetId: id });
        return next;
      });
    },
  };
}

/** Who created a row and when: the columns a new audited row starts with. */
export function createdStamp(ctx: AdminContext, now: string) {
  return {
    created_at: now,
    updated_at: now,
    archived_at: null,
    created_by_actor_id: actorId(ctx.principal),
    updated_by_actor_id: actorId(ctx.principal),
    archived_by_actor_id: null,
  };
}

/** Who changed a row and when. */
export function updatedStamp(ctx: AdminContext, now = new Date().toISOString()) {
  return { updated_at: now, updated_by_actor_id: actorId(ctx.principal) };
}

/** Who archived a row and when (an archive is also the row's last change). */
export function archivedStamp(ctx: AdminContext, now = new Date().toISOString()) {
  return { archived_at: now, archived_by_actor_id: actorId(ctx.principal), ...updatedStamp(ctx, now) };
}

export const issuerRows = resourceTable("federation_issuers", "federation issuer", "federation_issuer");
export const ruleRows = resourceTable("federation_rules", "federation rule", "federation_rule");
export const serviceAccountRows = resourceTable("service_accounts", "service account", "service_account");
export const workspaceRows = resourceTable("workspaces", "workspace", "workspace");
