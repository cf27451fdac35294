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
import { parseResourceId } from "@/lib/console/action-result";
import { resourceActions, runAs } from "./run-as";

export const {
  list: listServiceAccountsAction,
  create: createServiceAccountAction,
  update: updateServiceAccountAction,
  archive: archiveServiceAccountAction,
} = resourceActions({ list: listServiceAccounts, create: createServiceAccount, update: updateServiceAccount, archive: archiveServiceAccount });

export async function addServiceAccountWorkspaceAction(id: unknown, input: unknown) {
  return runAs("admin", (ctx) => addServiceAccountWorkspace(ctx, parseResourceId(id), input));
}

export async function removeServiceAccountWorkspaceAction(id: unknown, workspaceId: unknown) {
  return runAs("admin", (ctx) => removeServiceAccountWorkspace(ctx, parseResourceId(id), parseResourceId(workspaceId, "workspace_id")).then(() => null));
}
