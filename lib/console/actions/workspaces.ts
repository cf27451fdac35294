"use server";
/** Workspace actions: each checks origin, session and role, then calls one lib/services operation. */
import { archiveWorkspace, createWorkspace, listWorkspaces, updateWorkspace } from "@/lib/services/workspaces";
import { actionContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction } from "@/lib/console/action-result";

export async function listWorkspacesAction(query: unknown) {
  return runAction(async () => listWorkspaces(await actionContext("viewer"), { ...parseListQuery(query), include_default: "true" }));
}

export async function createWorkspaceAction(input: unknown) {
  return runAction(async () => createWorkspace(await actionContext("admin"), input));
}

export async function updateWorkspaceAction(id: unknown, input: unknown) {
  return runAction(async () => updateWorkspace(await actionContext("admin"), parseResourceId(id), input));
}

export async function archiveWorkspaceAction(id: unknown) {
  return runAction(async () => archiveWorkspace(await actionContext("admin"), parseResourceId(id)));
}
