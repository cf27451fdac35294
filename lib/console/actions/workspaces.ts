"use server";
/** Workspace actions: each checks origin, session and role, then calls one lib/services operation. */
import { archiveWorkspace, createWorkspace, listWorkspaces, updateWorkspace } from "@/lib/services/workspaces";
import { resourceActions } from "./run-as";

// The console lists the default workspace with the others.
export const { list: listWorkspacesAction, create: createWorkspaceAction, update: updateWorkspaceAction, archive: archiveWorkspaceAction } = resourceActions(
  { list: listWorkspaces, create: createWorkspace, update: updateWorkspace, archive: archiveWorkspace },
  { fixed: { include_default: "true" } },
);
