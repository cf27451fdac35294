/**
 * Federation rule input: every 400 path the SDK's docs comments and docs/behaviour.md name, one row
 * each, asserting the message starts with the field it concerns. The role-dependent check
 * (`org:admin` needs an admin service account) lives in the service, so it runs against a
 * real SQLite store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssuer } from "../services/issuers";
import { createRule, updateRule } from "../services/rules";
import { createServiceAccount } from "../services/service-accounts";
import type { AdminContext } from "../services/context";
import { ApiError } from "../core/errors";
import { openTestStore, type TestStore } from "../../e2e/support/test-server";
import { formatZodError } from "./common";
import { ruleCreate, ruleUpdate, ruleWorkspaceAdd } from "./rules";
import type { z } from "zod";

/** The 400 message a schema gives `input`, or "ok". */
function messageFor(schema: z.ZodType, input: unknown): string {
  const parsed = schema.safeParse(input);
  return parsed.success ? "ok" : formatZodError(parsed.error);
}

const valid = {
  name: "deploy-main",
  issuer_id: "fdis_01ABC",
  match: { subject_prefix: "repo:acme/app:ref:refs/heads/main" },
  target: { type: "service_account", service_account_id: "svac_01ABC" },
  oauth_scope: "workspace:developer",
  workspace_id: "default",
};

type Row = [label: string, patch: Record<string, unknown>, message: string];

describe("ruleCreate", () => {
  it("accepts a minimal rule and fills the defaults", () => {
    const parsed = ruleCreate.parse(valid);
    expect(parsed).toMatchObject({ token_lifetime_seconds: 3600, applies_to_all_workspaces: false });
  });

  const refused: Row[] = [
    // match: what may be matched on
    ["audience alone", { match: { audience: "https://api.anthropic.com" } }, "match: audience alone is not sufficient"],
    ["empty match", { match: {} }, "match: at least one of subject_prefix, claims or condition is required"],
    ["empty claims only", { match: { claims: {} } }, "match: at least one of"],
    ["null subject and audience", { match: { subject_prefix: null, audience: "x" } }, "match: audience alone"],
    ["match not an object", { match: "repo:acme/*" }, "match: must be an object"],
    ["bare * subject", { match: { subject_prefix: "*" } }, "match.subject_prefix: a bare * is not a valid matcher"],
    ["** subject", { match: { subject_prefix: "**" } }, "match.subject_prefix: a bare * is not a valid matcher"],
    ["bare * with audience", { match: { subject_prefix: "*", audience: "aud" } }, "match.subject_prefix: a bare *"],
    ["empty subject", { match: { subject_prefix: "" } }, "match.subject_prefix: must not be empty"],
    ["subject over 1024", { match: { subject_prefix: "a".repeat(1025) } }, "match.subject_prefix: must be at most 1024"],
    ["subject not a string", { match: { subject_prefix: 42 } }, "match.subject_prefix: must be a string"],
    ["empty audience", { match: { subject_prefix: "x", audience: "" } }, "match.audience: must not be empty"],
    ["numeric claim value", { match: { claims: { repository_id: 42 } } }, "match.claims.repository_id: claim values must be strings"],
    ["array claim value", { match: { claims: { groups: ["a"] } } }, "match.claims.groups: claim values must be strings"],
    ["empty claim name", { match: { claims: { "": "x" } } }, "match.claims: claim names must not be empty"],
    ["claim name over 256", { match: { claims: { ["c".repeat(257)]: "x" } } }, "match.claims: claim names must be at most 256"],
    ["claim value over 1024", { match: { claims: { ref: "r".repeat(1025) } } }, "match.claims.ref: claim values must be at most 1024"],
    ["51 claims", { match: { claims: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, "v"])) } }, "match.claims: must have at most 50 entries"],
    ["claims not an object", { match: { claims: "repository=acme" } }, "match.claims: must be an object"],
    ["unknown matcher", { match: { subject_prefix: "x", issuer: "y" } }, "match.issuer: unknown field"],
    // match.condition: CEL
    ["constant true", { match: { condition: "true" } }, "match.condition: is always true"],
    ["1 == 1", { match: { condition: "1 == 1" } }, "match.condition: is always true"],
    ["!false", { match: { condition: "!false" } }, "match.condition: is always true"],
    ["true beside a real check", { match: { subject_prefix: "x", condition: 'claims.ref == "main" || true' } }, "match.condition: is always true"],
    ["syntax error", { match: { condition: "claims.ref ==" } }, "match.condition: Unexpected token"],
    ["unknown variable", { match: { condition: 'request.ref == "main"' } }, "match.condition: Unknown variable: request; only the variable claims is available"],
    ["non-boolean", { match: { condition: "1 + 2" } }, "match.condition: must evaluate to a boolean, got int"],
    ["over 4096 characters", { match: { condition: `claims.ref == "${"x".repeat(4096)}"` } }, "match.condition: must be at most 4096 characters"],
    ["empty condition", { match: { condition: "" } }, "match.condition: must not be empty"],
    // lifetimes
    ["lifetime 59", { token_lifetime_seconds: 59 }, "token_lifetime_seconds: must be between 60 and 86400 seconds"],
    ["lifetime 86401", { token_lifetime_seconds: 86401 }, "token_lifetime_seconds: must be between 60 and 86400 seconds"],
    ["lifetime 0", { token_lifetime_seconds: 0 }, "token_lifetime_seconds: must be between 60 and 86400 seconds"],
    ["lifetime -3600", { token_lifetime_seconds: -3600 }, "token_lifetime_seconds: must be between 60 and 86400 seconds"],
    ["fractional lifetime", { token_lifetime_seconds: 600.5 }, "token_lifetime_seconds: must be a whole number of seconds"],
    ["lifetime as a string", { token_lifetime_seconds: "3600" }, "token_lifetime_seconds: must be a number"],
    ["infinite lifetime", { token_lifetime_seconds: Infinity }, "token_lifetime_seconds:"],
    ["NaN lifetime", { token_lifetime_seconds: NaN }, "token_lifetime_seconds:"],
    // scope
    ["unknown scope", { oauth_scope: "workspace:everything" }, "oauth_scope: unknown scope workspace:everything"],
    ["empty scope", { oauth_scope: "" }, "oauth_scope: must be space-separated scopes"],
    ["double space", { oauth_scope: "workspace:developer  workspace:inference" }, "oauth_scope: must be space-separated scopes"],
    ["leading space", { oauth_scope: " workspace:developer" }, "oauth_scope: must be space-separated scopes"],
    ["comma-separated", { oauth_scope: "workspace:developer,workspace:inference" }, "oauth_scope: unknown scope"],
    ["repeated scope", { oauth_scope: "workspace:developer workspace:developer" }, "oauth_scope: lists a scope more than once"],
    ["scope in another case", { oauth_scope: "Workspace:Developer" }, "oauth_scope: unknown scope"],
    // name (slug) and description
    ["empty name", { name: "" }, "name: must not be empty"],
    ["upper-case name", { name: "Deploy" }, "name: must contain only lowercase letters, digits and hyphens"],
    ["name with a space", { name: "deploy main" }, "name: must contain only lowercase"],
    ["name with an underscore", { name: "deploy_main" }, "name: must contain only lowercase"],
    ["name with a dot", { name: "deploy.main" }, "name: must contain only lowercase"],
    ["non-ASCII name", { name: "déploy" }, "name: must contain only lowercase"],
    ["name with a newline", { name: "deploy\n" }, "name: must contain only lowercase"],
    ["name over 255", { name: "a".repeat(256) }, "name: must be at most 255 characters"],
    ["missing name", { name: undefined }, "name: must be a string"],
    ["description over 1024", { description: "d".repeat(1025) }, "description: must be at most 1024 characters"],
    // references
    ["issuer ID without its prefix", { issuer_id: "01ABC" }, "issuer_id: must be an ID starting with fdis_"],
    ["issuer ID of another kind", { issuer_id: "svac_01ABC" }, "issuer_id: must be an ID starting with fdis_"],
    ["target of another type", { target: { type: "user", service_account_id: "svac_01ABC" } }, "target.type: must be service_account"],
    ["target ID of another kind", { target: { type: "service_account", service_account_id: "fdis_01ABC" } }, "target.service_account_id: must be an ID starting with svac_"],
    ["target with an unknown field", { target: { type: "service_account", service_account_id: "svac_01ABC", role: "admin" } }, "target.role: unknown field"],
    ["target missing", { target: undefined }, "target: must be an object"],
    // workspaces
    ["no workspace and not all", { workspace_id: undefined }, "workspace_id: is required unless applies_to_all_workspaces is true"],
    ["null workspace and all false", { workspace_id: null, applies_to_all_workspaces: false }, "workspace_id: is required unless"],
    ["malformed workspace ID", { workspace_id: "ws_123" }, "workspace_id: must be a workspace ID (wrkspc_…) or default"],
    ["DEFAULT in capitals", { workspace_id: "DEFAULT" }, "workspace_id: must be a workspace ID (wrkspc_…) or default"],
    ["applies_to_all as a string", { applies_to_all_workspaces: "true" }, "applies_to_all_workspaces: must be true or false"],
    // attributes and unknown fields
    ["attributes", { attributes: { env: "claims.environment" } }, "attributes: attributes are not supported yet"],
    ["unknown top-level field", { scope: "workspace:developer" }, "scope: unknown field"],
  ];

  it.each(refused)("refuses %s", (_label, patch, message) => {
    expect(messageFor(ruleCreate, { ...valid, ...patch })).toMatch(new RegExp(`^${escape(message)}`));
  });

  const accepted: Array<[string, Record<string, unknown>]> = [
    ["subject prefix ending in *", { match: { subject_prefix: "repo:acme/app:*" } }],
    ["claims only", { match: { claims: { repository_owner_id: "42" } } }],
    ["condition only", { match: { condition: 'claims.ref == "refs/heads/main"' } }],
    ["audience with a subject", { match: { subject_prefix: "x", audience: "https://api.anthropic.com" } }],
    ["constant false (harmless)", { match: { subject_prefix: "x", condition: "false" } }],
    ["lifetime 60", { token_lifetime_seconds: 60 }],
    ["lifetime 86400", { token_lifetime_seconds: 86400 }],
    ["every scope", { oauth_scope: "workspace:developer workspace:inference workspace:manage_tunnels org:admin" }],
    ["all workspaces without an ID", { workspace_id: undefined, applies_to_all_workspaces: true }],
    ["a workspace ID", { workspace_id: "wrkspc_01ABC" }],
    ["name of 255", { name: "a".repeat(255) }],
    ["null attributes", { attributes: null }],
    ["empty attributes", { attributes: {} }],
    ["target with its display name", { target: { type: "service_account", service_account_id: "svac_01ABC", service_account_name: "ci" } }],
  ];

  it.each(accepted)("accepts %s", (_label, patch) => {
    expect(messageFor(ruleCreate, { ...valid, ...patch })).toBe("ok");
  });
});

describe("ruleUpdate", () => {
  it("accepts an empty (no-op) update", () => {
    expect(messageFor(ruleUpdate, {})).toBe("ok");
  });

  const refused: Row[] = [
    ["bare *", { match: { subject_prefix: "*" } }, "match.subject_prefix: a bare * is not a valid matcher"],
    ["audience alone", { match: { audience: "https://api.anthropic.com" } }, "match: audience alone is not sufficient"],
    ["constant-true condition", { match: { condition: "1 == 1" } }, "match.condition: is always true"],
    ["lifetime 59", { token_lifetime_seconds: 59 }, "token_lifetime_seconds: must be between 60 and 86400"],
    ["lifetime 86401", { token_lifetime_seconds: 86401 }, "token_lifetime_seconds: must be between 60 and 86400"],
    ["fractional lifetime", { token_lifetime_seconds: 3600.1 }, "token_lifetime_seconds: must be a whole number"],
    ["unknown scope", { oauth_scope: "admin" }, "oauth_scope: unknown scope admin"],
    ["bad slug", { name: "Deploy_Main" }, "name: must contain only lowercase"],
    ["malformed workspace", { workspace_id: "wrkspc-1" }, "workspace_id: must be a workspace ID (wrkspc_…) or default"],
    ["attributes", { attributes: { a: "b" } }, "attributes: attributes are not supported yet"],
    ["malformed issuer_id", { issuer_id: "issuer-1" }, "issuer_id: must be an ID starting with fdis_"],
    ["unknown field", { service_account_id: "svac_01ABC" }, "service_account_id: unknown field"],
  ];

  it.each(refused)("refuses %s", (_label, patch, message) => {
    expect(messageFor(ruleUpdate, patch)).toMatch(new RegExp(`^${escape(message)}`));
  });
});

describe("ruleWorkspaceAdd", () => {
  it.each<Row>([
    ["a missing workspace_id", {}, "workspace_id: must be a workspace ID"],
    ["a malformed workspace_id", { workspace_id: "123" }, "workspace_id: must be a workspace ID (wrkspc_…) or default"],
    ["an unknown field", { workspace_id: "default", role: "x" }, "role: unknown field"],
  ])("refuses %s", (_label, input, message) => {
    expect(messageFor(ruleWorkspaceAdd, input)).toMatch(new RegExp(`^${escape(message)}`));
  });
});

/** Rule checks that need the store: the target's role bounds the scope. */
describe("createRule / updateRule (real SQLite store)", () => {
  let testStore: TestStore | undefined;
  let ctx: AdminContext;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    testStore = await openTestStore("sqlite");
    ctx = testStore.ctx;
    ids.issuer = (await createIssuer(ctx, { name: "idp", issuer_url: "https://idp.example.com" })).id;
    ids.developer = (await createServiceAccount(ctx, { name: "ci" })).id;
    ids.admin = (await createServiceAccount(ctx, { name: "ci-admin", organization_role: "admin" })).id;
  });
  afterAll(() => testStore?.close());

  const rule = (name: string, target: string, oauth_scope: string) => ({
    ...valid,
    name,
    issuer_id: ids.issuer,
    target: { type: "service_account", service_account_id: target },
    oauth_scope,
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (err: unknown) => (err instanceof ApiError ? `${err.status} ${err.message}` : `unexpected ${String(err)}`),
    );

  it("refuses org:admin on a developer service account, alone or among other scopes", async () => {
    expect(await failure(createRule(ctx, rule("dev-admin", ids.developer!, "org:admin")))).toMatch(/^400 oauth_scope: org:admin requires a target service account whose organization_role is admin/);
    expect(await failure(createRule(ctx, rule("dev-mixed", ids.developer!, "workspace:developer org:admin")))).toMatch(/^400 oauth_scope: org:admin requires/);
  });

  it("allows org:admin on an admin service account", async () => {
    expect(await failure(createRule(ctx, rule("admin-ok", ids.admin!, "org:admin")))).toBe("ok");
  });

  it("refuses an update that raises a developer's rule to org:admin, or retargets an org:admin rule at a developer", async () => {
    const dev = await createRule(ctx, rule("dev-plain", ids.developer!, "workspace:developer"));
    expect(await failure(updateRule(ctx, dev.id, { oauth_scope: "org:admin" }))).toMatch(/^400 oauth_scope: org:admin requires/);
    const admin = await createRule(ctx, rule("admin-retarget", ids.admin!, "org:admin"));
    expect(await failure(updateRule(ctx, admin.id, { target: { type: "service_account", service_account_id: ids.developer } }))).toMatch(/^400 oauth_scope: org:admin requires/);
  });

  it("names the field of a reference that does not exist", async () => {
    expect(await failure(createRule(ctx, { ...rule("ghost-issuer", ids.developer!, "workspace:developer"), issuer_id: "fdis_01NOPE" }))).toMatch(/^400 issuer_id: /);
    expect(await failure(createRule(ctx, rule("ghost-sa", "svac_01NOPE", "workspace:developer")))).toMatch(/^400 target\.service_account_id: /);
    expect(await failure(createRule(ctx, { ...rule("ghost-ws", ids.developer!, "workspace:developer"), workspace_id: "wrkspc_01NOPE" }))).toMatch(/^400 workspace_id: /);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
