/** Service account input: every 400 path, one row each, with the field named first. */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { formatZodError } from "./common";
import { serviceAccountCreate, serviceAccountUpdate, serviceAccountWorkspaceAdd, workspaceServiceAccountAdd, workspaceServiceAccountUpdate } from "./service-accounts";

function messageFor(schema: z.ZodType, input: unknown): string {
  const parsed = schema.safeParse(input);
  return parsed.success ? "ok" : formatZodError(parsed.error);
}

type Row = [label: string, schema: z.ZodType, input: unknown, message: string];

describe("service account schemas", () => {
  it("defaults the role to developer", () => {
    expect(serviceAccountCreate.parse({ name: "ci" })).toEqual({ name: "ci", organization_role: "developer" });
  });

  it.each<Row>([
    ["an empty name", serviceAccountCreate, { name: "" }, "name: must not be empty"],
    ["an upper-case name", serviceAccountCreate, { name: "CI" }, "name: must contain only lowercase letters, digits and hyphens"],
    ["a name with a slash", serviceAccountCreate, { name: "ci/deploy" }, "name: must contain only lowercase"],
    ["a name over 255", serviceAccountCreate, { name: "a".repeat(256) }, "name: must be at most 255 characters"],
    ["a numeric name", serviceAccountCreate, { name: 42 }, "name: must be a string"],
    ["the owner role", serviceAccountCreate, { name: "ci", organization_role: "owner" }, "organization_role: must be admin or developer"],
    ["a role in capitals", serviceAccountCreate, { name: "ci", organization_role: "Admin" }, "organization_role: must be admin or developer"],
    ["a description over 1024", serviceAccountCreate, { name: "ci", description: "d".repeat(1025) }, "description: must be at most 1024 characters"],
    ["an unknown field", serviceAccountCreate, { name: "ci", workspace_id: "default" }, "workspace_id: unknown field"],
    ["a rename (names are immutable)", serviceAccountUpdate, { name: "other" }, "name: unknown field"],
    ["a role on update", serviceAccountUpdate, { organization_role: "superuser" }, "organization_role: must be admin or developer"],
    ["a membership with an unknown role", serviceAccountWorkspaceAdd, { workspace_id: "default", workspace_role: "owner" }, "workspace_role: must be one of workspace_admin"],
    ["a membership without a workspace", serviceAccountWorkspaceAdd, { workspace_role: "workspace_user" }, "workspace_id: must be a workspace ID"],
    ["a membership with a malformed workspace", serviceAccountWorkspaceAdd, { workspace_id: "ws1", workspace_role: "workspace_user" }, "workspace_id: must be a workspace ID (wrkspc_…) or default"],
    ["a member without an ID", workspaceServiceAccountAdd, { service_account_id: "", workspace_role: "workspace_user" }, "service_account_id:"],
    ["a member update with an unknown field", workspaceServiceAccountUpdate, { workspace_role: "workspace_user", archived: true }, "archived: unknown field"],
  ])("refuses %s", (_label, schema, input, message) => {
    expect(messageFor(schema, input).startsWith(message), messageFor(schema, input)).toBe(true);
  });

  it.each<[string, z.ZodType, unknown]>([
    ["an admin", serviceAccountCreate, { name: "ci-admin", organization_role: "admin", description: null }],
    ["a 255-character name", serviceAccountCreate, { name: "a".repeat(255) }],
    ["a null role on update", serviceAccountUpdate, { organization_role: null }],
    ["every workspace role", serviceAccountWorkspaceAdd, { workspace_id: "default", workspace_role: "workspace_restricted_developer" }],
  ])("accepts %s", (_label, schema, input) => {
    expect(messageFor(schema, input)).toBe("ok");
  });
});
