/** Service accounts: the identities federated workloads act as. */
import type { Transaction } from "kysely";
import { conflict, invalidRequest, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { listQuery } from "../schemas/common";
import { serviceAccountCreate, serviceAccountUpdate, serviceAccountWorkspaceAdd } from "../schemas/service-accounts";
import { isUniqueViolation, mapPage, paginate, type PageResult } from "../store/paginate";
import type { Db } from "../store/db";
import type { Database } from "../store/schema";
import { auditChange, changedFields } from "./audit";
import { actorId, assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { assertMaySetOrganizationRole } from "./escalation";
import { serviceAccountDto, type ServiceAccountDto } from "./dto";
import { parseInput } from "./parse";
import { addMembership, listMemberships, pageOf, removeMembership } from "./workspaces";


async function getRow(db: Db, ctx: AdminContext, id: string) {
  const row = await db
    .selectFrom("service_accounts")
    .selectAll()
    .where("organization_id", "=", ctx.principal.organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("service account", id);
  return row;
}

export async function listServiceAccounts(ctx: AdminContext, query: unknown): Promise<PageResult<ServiceAccountDto>> {
  assertCanRead(ctx);
  const q = parseInput(listQuery, query);
  let qb = ctx.db.selectFrom("service_accounts").selectAll().where("organization_id", "=", ctx.principal.organizationId);
  if (!q.include_archived) qb = qb.where("archived_at", "is", null);
  return mapPage(await paginate(qb, q, "id", (r) => r.id), serviceAccountDto);
}

export async function getServiceAccount(ctx: AdminContext, id: string): Promise<ServiceAccountDto> {
  assertCanRead(ctx);
  return serviceAccountDto(await getRow(ctx.db, ctx, id));
}

export async function createServiceAccount(ctx: AdminContext, input: unknown, trxIn?: Transaction<Database>): Promise<ServiceAccountDto> {
  assertCanWrite(ctx);
  const body = parseInput(serviceAccountCreate, input);
  assertMaySetOrganizationRole(ctx.principal, body.organization_role);
  const now = new Date().toISOString();
  const row = {
    id: newId("serviceAccount"),
    organization_id: ctx.principal.organizationId,
    name: body.name,
    description: body.description ?? null,
    organization_role: body.organization_role,
    created_at: now,
    updated_at: now,
    archived_at: null,
    created_by_actor_id: actorId(ctx.principal),
    updated_by_actor_id: actorId(ctx.principal),
    archived_by_actor_id: null,
  };
  const run = async (trx: Transaction<Database>) => {
    await assertNameFree(trx, ctx, body.name);
    await trx.insertInto("service_accounts").values(row).execute();
    await auditChange(trx, ctx, { action: "service_account.created", targetType: "service_account", targetId: row.id, detail: { name: row.name, organization_role: row.organization_role } });
  };
  try {
    await (trxIn ? run(trxIn) : ctx.db.transaction().execute(run));
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a service account named ${JSON.stringify(body.name)} already exists`);
    throw err;
  }
  return serviceAccountDto(row);
}

async function assertNameFree(db: Db, ctx: AdminContext, name: string) {
  const clash = await db
    .selectFrom("service_accounts")
    .select("id")
    .where("organization_id", "=", ctx.principal.organizationId)
    .where("name", "=", name)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (clash) throw conflict("name", `a service account named ${JSON.stringify(name)} already exists (${clash.id})`);
}

export async function updateServiceAccount(ctx: AdminContext, id: string, input: unknown): Promise<ServiceAccountDto> {
  assertCanWrite(ctx);
  const body = parseInput(serviceAccountUpdate, input);
  assertMaySetOrganizationRole(ctx.principal, body.organization_role);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await getRow(trx, ctx, id);
    if (row.archived_at) throw invalidRequest(null, `service account ${id} is archived and cannot be updated`);
    const next = {
      ...row,
      // `null` clears the description (stored as an empty string, as the platform does).
      description: body.description === undefined ? row.description : (body.description ?? ""),
      organization_role: body.organization_role ?? row.organization_role,
      updated_at: new Date().toISOString(),
      updated_by_actor_id: actorId(ctx.principal),
    };
    await trx.updateTable("service_accounts").set(next).where("id", "=", id).execute();
    await auditChange(trx, ctx, {
      action: "service_account.updated",
      targetType: "service_account",
      targetId: id,
      detail: { changed: changedFields(row, next, ["description", "organization_role"]) },
    });
    return serviceAccountDto(next);
  });
}

export async function archiveServiceAccount(ctx: AdminContext, id: string): Promise<ServiceAccountDto> {
  assertCanWrite(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await getRow(trx, ctx, id);
    if (row.archived_at) return serviceAccountDto(row);
    const now = new Date().toISOString();
    const next = { ...row, archived_at: now, archived_by_actor_id: actorId(ctx.principal), updated_at: now, updated_by_actor_id: actorId(ctx.principal) };
    await trx.updateTable("service_accounts").set(next).where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "service_account.archived", targetType: "service_account", targetId: id });
    return serviceAccountDto(next);
  });
}

export async function listServiceAccountWorkspaces(ctx: AdminContext, id: string, query: unknown) {
  assertCanRead(ctx);
  await getRow(ctx.db, ctx, id);
  return pageOf(await listMemberships(ctx.db, ctx.principal.organizationId, { serviceAccountId: id }), query, (m) => m.workspace_id);
}

export async function addServiceAccountWorkspace(ctx: AdminContext, id: string, input: unknown) {
  const body = parseInput(serviceAccountWorkspaceAdd, input);
  return addMembership(ctx, id, body.workspace_id, body.workspace_role);
}

export const removeServiceAccountWorkspace = removeMembership;
