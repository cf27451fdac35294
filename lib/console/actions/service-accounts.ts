"use server";
/** Service account actions: each checks origin, session and role, then calls one lib/services operation. */
import {
  addServiceAccountWorkspace,
  archiveServiceAccount,
  createServiceAccount,
  listServiceAccounts,
  removeServiceAccountWorkspace,
  updateServiceAccount,
} from "@/lib/services/service-accounts";
import { actionContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction } from "@/lib/console/action-result";

export async function listServiceAccountsAction(query: unknown) {
  return runAction(async () => listServiceAccounts(await actionContext("viewer"), parseListQuery(query)));
}

export async function createServiceAccountAction(input: unknown) {
  return runAction(async () => createServiceAccount(await actionContext("admin"), input));
}

export async function updateServiceAccountAction(id: unknown, input: unknown) {
  return runAction(async () => updateServiceAccount(await actionContext("admin"), parseResourceId(id), input));
}

export async function archiveServiceAccountAction(id: unknown) {
  return runAction(async () => archiveServiceAccount(await actionContext("admin"), parseResourceId(id)));
}

export async function addServiceAccountWorkspaceAction(id: unknown, input: unknown) {
  return runAction(async () => addServiceAccountWorkspace(await actionContext("admin"), parseResourceId(id), input));
}

export async function removeServiceAccountWorkspaceAction(id: unknown, workspaceId: unknown) {
  return runAction(async () => {
    const ctx = await actionContext("admin");
    await removeServiceAccountWorkspace(ctx, parseResourceId(id), parseResourceId(workspaceId, "workspace_id"));
    return null;
  });
}
