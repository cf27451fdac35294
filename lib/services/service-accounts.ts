/** Service accounts: the identities federated workloads act as. */
import type { Transaction } from "kysely";
import { newId } from "../core/ids";
import { serviceAccountCreate, serviceAccountUpdate, serviceAccountWorkspaceAdd } from "../schemas/service-accounts";
import type { Database } from "../store/schema";
import { auditChange, changedFields } from "./audit";
import { assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { assertMaySetOrganizationRole } from "./escalation";
import { serviceAccountDto, type ServiceAccountDto } from "./dto";
import { parseInput } from "./parse";
import { inTransaction } from "./transaction";
import { createdStamp, serviceAccountRows, updatedStamp } from "./resource-table";
import { addMembership, listMemberships, pageOf, removeMembership } from "./workspaces";

/** The organization's service accounts, newest first (`include_archived` for all), and one by ID. */
export const { list: listServiceAccounts, get: getServiceAccount } = serviceAccountRows.reads(serviceAccountDto);

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
    ...createdStamp(ctx, now),
  };
  await serviceAccountRows.write(ctx, body.name, async (trx) => {
    await serviceAccountRows.assertNameFree(trx, ctx, body.name);
    await trx.insertInto("service_accounts").values(row).execute();
    await auditChange(trx, ctx, { action: "service_account.created", targetType: "service_account", targetId: row.id, detail: { name: row.name, organization_role: row.organization_role } });
  }, trxIn);
  return serviceAccountDto(row);
}

export async function updateServiceAccount(ctx: AdminContext, id: string, input: unknown): Promise<ServiceAccountDto> {
  assertCanWrite(ctx);
  const body = parseInput(serviceAccountUpdate, input);
  assertMaySetOrganizationRole(ctx.principal, body.organization_role);
  return inTransaction(ctx.db, async (trx) => {
    const row = await serviceAccountRows.getForUpdate(trx, ctx, id);
    const next = {
      ...row,
      // `null` clears the description (stored as an empty string, as the platform does).
      description: body.description === undefined ? row.description : (body.description ?? ""),
      organization_role: body.organization_role ?? row.organization_role,
      ...updatedStamp(ctx),
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
  return serviceAccountDto(await serviceAccountRows.archive(ctx, id));
}

export async function listServiceAccountWorkspaces(ctx: AdminContext, id: string, query: unknown) {
  assertCanRead(ctx);
  await serviceAccountRows.get(ctx.db, ctx, id);
  return pageOf(await listMemberships(ctx.db, ctx.principal.organizationId, { serviceAccountId: id }), query, (m) => m.workspace_id);
}

export async function addServiceAccountWorkspace(ctx: AdminContext, id: string, input: unknown) {
  const body = parseInput(serviceAccountWorkspaceAdd, input);
  return addMembership(ctx, id, body.workspace_id, body.workspace_role);
}

export const removeServiceAccountWorkspace = removeMembership;
