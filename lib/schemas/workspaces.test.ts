/** Workspace and API key input: every 400 path, one row each, with the field named first. */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { formatZodError } from "./common";
import { apiKeyCreate, apiKeyUpdate, workspaceCreate, workspaceUpdate } from "./workspaces";

function messageFor(schema: z.ZodType, input: unknown): string {
  const parsed = schema.safeParse(input);
  return parsed.success ? "ok" : formatZodError(parsed.error);
}

type Row = [label: string, schema: z.ZodType, input: unknown, message: string];

describe("workspace and API key schemas", () => {
  it.each<Row>([
    ["an empty name", workspaceCreate, { name: "" }, "name: must not be empty"],
    ["a blank name", workspaceCreate, { name: "   " }, "name: must not be empty"],
    ["a name over 40", workspaceCreate, { name: "w".repeat(41) }, "name: must be at most 40 characters"],
    ["a colour name", workspaceCreate, { name: "Prod", display_color: "purple" }, "display_color: must be a hex colour"],
    ["a short hex colour", workspaceCreate, { name: "Prod", display_color: "#fff" }, "display_color: must be a hex colour"],
    ["a reserved tag key", workspaceCreate, { name: "Prod", tags: { "anthropic:env": "x" } }, "tags.anthropic:env: tag keys may not begin with anthropic"],
    ["a tag value over 256", workspaceCreate, { name: "Prod", tags: { env: "v".repeat(257) } }, "tags.env: tag values must be at most 256 characters"],
    ["an unknown geo", workspaceCreate, { name: "Prod", data_residency: { default_inference_geo: "eu" } }, "data_residency.default_inference_geo:"],
    ["an unknown residency field", workspaceCreate, { name: "Prod", data_residency: { region: "us" } }, "data_residency.region: unknown field"],
    ["a customer-managed key", workspaceCreate, { name: "Prod", external_key_id: "key_1" }, "external_key_id: customer-managed keys are not available"],
    ["a user profile", workspaceCreate, { name: "Prod", user_profile_id: "prof_1" }, "user_profile_id: user profiles are not available"],
    ["an unknown field", workspaceCreate, { name: "Prod", archived: false }, "archived: unknown field"],
    ["an empty name on update", workspaceUpdate, { name: "" }, "name: must not be empty"],
    ["a reserved tag key on update", workspaceUpdate, { tags: { anthropic_billing: "x" } }, "tags.anthropic_billing: tag keys may not begin with anthropic"],
    ["a tag key over 64 on update", workspaceUpdate, { tags: { ["k".repeat(65)]: "x" } }, `tags.${"k".repeat(65)}: tag keys must be at most 64 characters`],
    ["a workspace geo on update", workspaceUpdate, { data_residency: { workspace_geo: "us" } }, "data_residency.workspace_geo: unknown field"],
    ["an API key without a name", apiKeyCreate, { name: " " }, "name: must not be empty"],
    ["an unknown API key status", apiKeyUpdate, { status: "revoked" }, "status: must be active, inactive or archived"],
    ["an unknown API key field", apiKeyCreate, { name: "k", scopes: [] }, "scopes: unknown field"],
  ])("refuses %s", (_label, schema, input, message) => {
    expect(messageFor(schema, input).startsWith(message), messageFor(schema, input)).toBe(true);
  });

  it.each<[string, z.ZodType, unknown]>([
    ["a full workspace", workspaceCreate, { name: "Prod", display_color: "#6C5BB9", tags: { env: "prod" }, data_residency: { allowed_inference_geos: ["us"], default_inference_geo: "us", workspace_geo: "us" } }],
    ["unrestricted geos", workspaceCreate, { name: "Prod", data_residency: { allowed_inference_geos: "unrestricted" } }],
    ["a null external key", workspaceCreate, { name: "Prod", external_key_id: null }],
    ["a tag removal on update", workspaceUpdate, { tags: { env: null } }],
  ])("accepts %s", (_label, schema, input) => {
    expect(messageFor(schema, input)).toBe("ok");
  });
});
