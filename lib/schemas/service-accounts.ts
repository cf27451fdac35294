/** Service account input. @see docs/behaviour.md#service-accounts */
import { z } from "zod";
import { description, slug } from "./common";
import { workspaceRef } from "./rules";

export const organizationRole = z.enum(["admin", "developer"], { error: "must be admin or developer" });

export const serviceAccountCreate = z.strictObject({
  name: slug,
  description: description.nullish(),
  organization_role: organizationRole.default("developer"),
});

export const serviceAccountUpdate = z.strictObject({
  description: description.nullish(),
  organization_role: organizationRole.nullish(),
});

export const workspaceRole = z.enum(["workspace_admin", "workspace_developer", "workspace_restricted_developer", "workspace_user"], {
  error: "must be one of workspace_admin, workspace_developer, workspace_restricted_developer, workspace_user",
});

export const serviceAccountWorkspaceAdd = z.strictObject({ workspace_id: workspaceRef, workspace_role: workspaceRole });
export const workspaceServiceAccountAdd = z.strictObject({ service_account_id: z.string().min(1).max(128), workspace_role: workspaceRole });
export const workspaceServiceAccountUpdate = z.strictObject({ workspace_role: workspaceRole });
