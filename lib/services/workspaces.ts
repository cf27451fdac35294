/** Workspaces and their service-account memberships. */
import type { Transaction } from "kysely";
import { invalidRequest, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { listQuery, queryBoolean } from "../schemas/common";
import { workspaceServiceAccountAdd, workspaceServiceAccountUpdate } from "../schemas/service-accounts";
import { workspaceCreate, workspaceUpdate } from "../schemas/workspaces";
import { mapPage, type PageResult } from "../store/paginate";
import type { Database } from "../store/schema";
import { auditChange, changedFields } from "./audit";
import { actorId, assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { workspaceDto, type ServiceAccountWorkspaceMemberDto, type WorkspaceDto } from "./dto";
import { DEFAULT_DATA_RESIDENCY } from "./organization";
import { parseInput } from "./parse";
import { inTransaction } from "./transaction";
import { serviceAccountRows, workspaceRows, type Db } from "./resource-table";

const COLORS = ["#6C5BB9", "#2F7D6D", "#B95B5B", "#5B7DB9", "#B9965B", "#7D5BB9"];

/** Find a live or archived workspace by `wrkspc_…` or `default`; 404 when absent. */
export async function findWorkspace(db: Db, organizationId: string, ref: string, field = "workspace_id") {
  const q = db.selectFrom("workspaces").selectAll().where("organization_id", "=", organizationId);
  const row = await (ref === "default" ? q.where("is_default", "=", 1) : q.where("id", "=", ref)).executeTakeFirst();
  if (!row) throw invalidRequest(field, `workspace ${JSON.stringify(ref)} does not exist in this organization`);
  return row;
}

/** A live workspace for a write that references it (400 when missing or archived). */
export async function requireLiveWorkspace(db: Db, organizationId: string, ref: string, field = "workspace_id") {
  const row = await findWorkspace(db, organizationId, ref, field);
  if (row.archived_at) throw invalidRequest(field, `workspace ${row.id} is archived`);
  return row;
}

const workspaceListQuery = listQuery.extend({ include_default: queryBoolean.optional() });

export async function listWorkspaces(ctx: AdminContext, query: unknown): Promise<PageResult<WorkspaceDto>> {
  assertCanRead(ctx);
  const q = parseInput(workspaceListQuery, query);
  return mapPage(await workspaceRows.page(ctx, q, (qb) => (q.include_default ? qb : qb.where("is_default", "=", 0))), workspaceDto);
}

export async function getWorkspace(ctx: AdminContext, id: string): Promise<WorkspaceDto> {
  assertCanRead(ctx);
  if (id === "default") return workspaceDto(await findWorkspace(ctx.db, ctx.principal.organizationId, "default"));
  return workspaceDto(await workspaceRows.get(ctx.db, ctx, id));
}

export async function createWorkspace(ctx: AdminContext, input: unknown): Promise<WorkspaceDto> {
  assertCanWrite(ctx);
  const body = parseInput(workspaceCreate, input);
  const now = new Date().toISOString();
  const residency = { ...DEFAULT_DATA_RESIDENCY, ...Object.fromEntries(Object.entries(body.data_residency ?? {}).filter(([, v]) => v != null)) };
  const row = {
    id: newId("workspace"),
    organization_id: ctx.principal.organizationId,
    name: body.name,
    display_color: body.display_color ?? COLORS[Math.floor(Math.random() * COLORS.length)]!,
    tags: JSON.stringify(body.tags ?? {}),
    data_residency: JSON.stringify(residency),
    is_default: 0,
    created_at: now,
    archived_at: null,
  };
  await inTransaction(ctx.db, async (trx) => {
    await trx.insertInto("workspaces").values(row).execute();
    await auditChange(trx, ctx, { action: "workspace.created", targetType: "workspace", targetId: row.id, detail: { name: row.name } });
  });
  return workspaceDto(row);
}

export async function updateWorkspace(ctx: AdminContext, id: string, input: unknown): Promise<WorkspaceDto> {
  assertCanWrite(ctx);
  const body = parseInput(workspaceUpdate, input);
  return inTransaction(ctx.db, async (trx) => {
    const row = await workspaceRows.getForUpdate(trx, ctx, id);
    const tags = JSON.parse(row.tags) as Record<string, string>;
    for (const [k, v] of Object.entries(body.tags ?? {})) {
      if (v === null) delete tags[k];
      else tags[k] = v;
    }
    const residency = { ...JSON.parse(row.data_residency), ...Object.fromEntries(Object.entries(body.data_residency ?? {}).filter(([, v]) => v != null)) };
    const next = {
      ...row,
      name: body.name ?? row.name,
      display_color: body.display_color ?? row.display_color,
      tags: JSON.stringify(tags),
      data_residency: JSON.stringify(residency),
    };
    await trx.updateTable("workspaces").set(next).where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "workspace.updated", targetType: "workspace", targetId: id, detail: { changed: changedFields(row, next, ["name", "display_color", "tags", "data_residency"], ["tags", "data_residency"]) } });
    return workspaceDto(next);
  });
}

export async function archiveWorkspace(ctx: AdminContext, id: string): Promise<WorkspaceDto> {
  assertCanWrite(ctx);
  return inTransaction(ctx.db, async (trx) => {
    const row = await workspaceRows.get(trx, ctx, id);
    if (row.is_default) throw invalidRequest(null, "the default workspace cannot be archived");
    if (row.archived_at) return workspaceDto(row);
    const archived = { ...row, archived_at: new Date().toISOString() };
    await trx.updateTable("workspaces").set({ archived_at: archived.archived_at }).where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "workspace.archived", targetType: "workspace", targetId: id });
    return workspaceDto(archived);
  });
}

// ---- memberships -------------------------------------------------------------------------

/** Memberships of one service account, with the implicit default-workspace one when it has no explicit row there. */
export async function listMemberships(
  db: Db,
  organizationId: string,
  filter: { serviceAccountId?: string; workspaceId?: string },
): Promise<ServiceAccountWorkspaceMemberDto[]> {
  let q = db
    .selectFrom("service_account_workspaces as m")
    .innerJoin("service_accounts as s", "s.id", "m.service_account_id")
    .select(["m.service_account_id", "m.workspace_id", "m.workspace_role", "m.created_by_actor_id"])
    .where("s.organization_id", "=", organizationId);
  if (filter.serviceAccountId) q = q.where("m.service_account_id", "=", filter.serviceAccountId);
  if (filter.workspaceId) q = q.where("m.workspace_id", "=", filter.workspaceId);
  const rows = await q.orderBy("m.workspace_id").execute();
  const explicit: ServiceAccountWorkspaceMemberDto[] = rows.map((r) => ({
    type: "service_account_workspace_member",
    service_account_id: r.service_account_id,
    workspace_id: r.workspace_id,
    workspace_role: r.workspace_role,
    implicit: false,
    created_by_actor_id: r.created_by_actor_id,
  }));
  const defaultWs = await findWorkspace(db, organizationId, "default");
  if (filter.workspaceId && filter.workspaceId !== defaultWs.id) return explicit;
  // Every live service account is implicitly a member of the default workspace.
  let sa = db.selectFrom("service_accounts").select("id").where("organization_id", "=", organizationId).where("archived_at", "is", null);
  if (filter.serviceAccountId) sa = sa.where("id", "=", filter.serviceAccountId);
  const implicit = (await sa.execute())
    .filter((s) => !explicit.some((m) => m.service_account_id === s.id && m.workspace_id === defaultWs.id))
    .map(
      (s): ServiceAccountWorkspaceMemberDto => ({
        type: "service_account_workspace_member",
        service_account_id: s.id,
        workspace_id: defaultWs.id,
        workspace_role: "workspace_user",
        implicit: true,
        created_by_actor_id: null,
      }),
    );
  return [...implicit, ...explicit];
}

/** In-memory page over a small list (memberships are few per account or workspace). */
export function pageOf<T>(items: T[], query: unknown, key: (t: T) => string): PageResult<T> {
  const q = parseInput(listQuery, query);
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? 1 : -1));
  let start = 0;
  const after = q.after_id ?? (q.page ? Buffer.from(q.page, "base64url").toString("utf8") : undefined);
  if (after) start = sorted.findIndex((t) => key(t) < after);
  if (start < 0) start = sorted.length;
  const data = sorted.slice(start, start + q.limit);
  const hasMore = start + q.limit < sorted.length;
  const lastId = data.length ? key(data[data.length - 1]!) : null;
  return {
    data,
    has_more: hasMore,
    first_id: data.length ? key(data[0]!) : null,
    last_id: lastId,
    next_page: hasMore && lastId ? Buffer.from(lastId).toString("base64url") : null,
  };
}

async function requireServiceAccount(db: Db, ctx: AdminContext, id: string, field: string) {
  const sa = await serviceAccountRows.get(db, ctx, id);
  if (sa.archived_at) throw invalidRequest(field, `service account ${id} is archived`);
  return sa;
}

export async function addMembership(
  ctx: AdminContext,
  serviceAccountId: string,
  workspaceRef: string,
  role: string,
): Promise<ServiceAccountWorkspaceMemberDto> {
  assertCanWrite(ctx);
  return inTransaction(ctx.db, (trx) => addMembershipIn(trx, ctx, serviceAccountId, workspaceRef, role));
}

/** Add (or re-role) a membership inside the caller's transaction. */
export async function addMembershipIn(
  trx: Transaction<Database>,
  ctx: AdminContext,
  serviceAccountId: string,
  workspaceRef: string,
  role: string,
): Promise<ServiceAccountWorkspaceMemberDto> {
  await requireServiceAccount(trx, ctx, serviceAccountId, "service_account_id");
  const ws = await requireLiveWorkspace(trx, ctx.principal.organizationId, workspaceRef);
  const existing = await trx
    .selectFrom("service_account_workspaces")
    .selectAll()
    .where("service_account_id", "=", serviceAccountId)
    .where("workspace_id", "=", ws.id)
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable("service_account_workspaces")
      .set({ workspace_role: role })
      .where("service_account_id", "=", serviceAccountId)
      .where("workspace_id", "=", ws.id)
      .execute();
  } else {
    await trx
      .insertInto("service_account_workspaces")
      .values({ service_account_id: serviceAccountId, workspace_id: ws.id, workspace_role: role, created_at: new Date().toISOString(), created_by_actor_id: actorId(ctx.principal) })
      .execute();
  }
  await auditChange(trx, ctx, { action: "service_account.workspace_added", targetType: "service_account", targetId: serviceAccountId, detail: { workspace_id: ws.id, workspace_role: role } });
  return {
    type: "service_account_workspace_member",
    service_account_id: serviceAccountId,
    workspace_id: ws.id,
    workspace_role: role,
    implicit: false,
    created_by_actor_id: existing?.created_by_actor_id ?? actorId(ctx.principal),
  };
}

export async function removeMembership(ctx: AdminContext, serviceAccountId: string, workspaceRef: string) {
  assertCanWrite(ctx);
  await inTransaction(ctx.db, async (trx) => {
    await serviceAccountRows.get(trx, ctx, serviceAccountId);
    const ws = await findWorkspace(trx, ctx.principal.organizationId, workspaceRef);
    // Idempotent; the implicit default-workspace membership cannot be removed, so that is a no-op too.
    await trx.deleteFrom("service_account_workspaces").where("service_account_id", "=", serviceAccountId).where("workspace_id", "=", ws.id).execute();
    await auditChange(trx, ctx, { action: "service_account.workspace_removed", targetType: "service_account", targetId: serviceAccountId, detail: { workspace_id: ws.id } });
  });
  return { type: "service_account_workspace_member_deleted" as const, service_account_id: serviceAccountId, workspace_id: workspaceRef };
}

// ---- /workspaces/{id}/service_accounts -------------------------------------------------

export async function listWorkspaceMembers(ctx: AdminContext, workspaceId: string, query: unknown) {
  assertCanRead(ctx);
  const ws = await findWorkspace(ctx.db, ctx.principal.organizationId, workspaceId);
  const members = await listMemberships(ctx.db, ctx.principal.organizationId, { workspaceId: ws.id });
  return pageOf(members, query, (m) => m.service_account_id);
}

export async function getWorkspaceMember(ctx: AdminContext, workspaceId: string, serviceAccountId: string) {
  assertCanRead(ctx);
  const ws = await findWorkspace(ctx.db, ctx.principal.organizationId, workspaceId);
  const m = (await listMemberships(ctx.db, ctx.principal.organizationId, { workspaceId: ws.id, serviceAccountId }))[0];
  if (!m) throw notFound("workspace membership", serviceAccountId);
  return m;
}

export async function addWorkspaceMember(ctx: AdminContext, workspaceId: string, input: unknown) {
  const body = parseInput(workspaceServiceAccountAdd, input);
  return addMembership(ctx, body.service_account_id, workspaceId, body.workspace_role);
}

export async function updateWorkspaceMember(ctx: AdminContext, workspaceId: string, serviceAccountId: string, input: unknown) {
  const body = parseInput(workspaceServiceAccountUpdate, input);
  await getWorkspaceMember(ctx, workspaceId, serviceAccountId);
  return addMembership(ctx, serviceAccountId, workspaceId, body.workspace_role);
}

