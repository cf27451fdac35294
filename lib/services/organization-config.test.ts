/**
 * Configuration as code on SQLite and PostgreSQL: export → edit → apply → export yields the
 * edited file; a second apply changes nothing; removed objects are archived; a bad file or a
 * refused change names its path and changes nothing; a dry run rolls back; escalation rules
 * hold for a workload's org:admin token as they do call by call.
 */
import { exportJWK, generateKeyPair } from "jose";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import type { AdminContext } from "./context";
import { createIssuer } from "./issuers";
import { applyOrganizationConfig, configToYaml, exportOrganizationConfig } from "./organization-config";
import { createRule } from "./rules";
import { addServiceAccountWorkspace, createServiceAccount } from "./service-accounts";
import { createWorkspace } from "./workspaces";

type Doc = Record<string, any>;

describe.each(DATABASE_KINDS)("configuration as code (%s)", (kind) => {
  let t: TestStore;
  let ctx: AdminContext;
  let jwk: Record<string, unknown>;

  const exportYaml = async () => configToYaml(await exportOrganizationConfig(ctx));
  const auditCount = async () => Number((await t.store.db.selectFrom("audit_events").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  /** Everything a bad apply must leave as it was: the export and the audit log. */
  const snapshot = async () => ({ yaml: await exportYaml(), audits: await auditCount() });

  beforeAll(async () => {
    t = await openTestStore(kind);
    ctx = t.ctx;
    jwk = { ...(await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    // Made call by call, as the console or the Admin API would.
    const prod = await createWorkspace(ctx, { name: "prod", display_color: "#2F7D6D", tags: { team: "platform" } });
    const github = await createIssuer(ctx, { name: "github", issuer_url: "https://token.actions.githubusercontent.com" });
    await createIssuer(ctx, { name: "internal", issuer_url: "https://idp.internal.example", jwks: { type: "inline", keys: [jwk] }, check_jti: false });
    const deployer = await createServiceAccount(ctx, { name: "deployer", description: "ships the API" });
    await createServiceAccount(ctx, { name: "auditor" });
    await addServiceAccountWorkspace(ctx, deployer.id, { workspace_id: prod.id, workspace_role: "workspace_developer" });
    await createRule(ctx, {
      name: "deploy-main",
      issuer_id: github.id,
      match: { subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { workflow: "deploy" } },
      target: { type: "service_account", service_account_id: deployer.id },
      oauth_scope: "workspace:developer",
      workspace_id: prod.id,
    });
  });
  afterAll(async () => t?.close());

  it("exports names, not IDs, and every object of the organization", async () => {
    const yaml = await exportYaml();
    expect(yaml).not.toMatch(/\b(fdis|fdrl|svac|wrkspc|user|apikey)_[0-9A-Za-z]{6,}/);
    const doc = YAML.parse(yaml) as Doc;
    expect(doc.version).toBe(1);
    expect(doc.workspaces).toEqual([
      { name: "prod", display_color: "#2F7D6D", tags: { team: "platform" }, data_residency: { allowed_inference_geos: "unrestricted", default_inference_geo: "global", workspace_geo: "us" } },
    ]);
    expect(doc.issuers.map((i: Doc) => i.name)).toEqual(["github", "internal"]);
    expect(doc.issuers[1]).toEqual({ name: "internal", issuer_url: "https://idp.internal.example", jwks: { type: "inline", keys: [jwk] }, check_jti: false, max_jwt_lifetime_seconds: 3600 });
    expect(doc.service_accounts).toEqual([
      { name: "auditor", organization_role: "developer", workspaces: {} },
      { name: "deployer", description: "ships the API", organization_role: "developer", workspaces: { prod: "workspace_developer" } },
    ]);
    expect(doc.rules).toEqual([
      {
        name: "deploy-main",
        match: { subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { workflow: "deploy" } },
        oauth_scope: "workspace:developer",
        token_lifetime_seconds: 3600,
        applies_to_all_workspaces: false,
        issuer: "github",
        service_account: "deployer",
        workspaces: ["prod"],
      },
    ]);
    // What it exports, it accepts unchanged.
    expect((await applyOrganizationConfig(ctx, yaml, { dryRun: true })).changes).toEqual([]);
  });

  it("round trip: export → edit → apply → export yields the edited file; a second apply changes nothing", async () => {
    const doc = YAML.parse(await exportYaml()) as Doc;
    doc.workspaces[0].tags = { team: "payments", tier: "1" };
    doc.issuers = doc.issuers.filter((i: Doc) => i.name !== "internal");
    doc.service_accounts = [
      { name: "deployer", description: "ships the API and the web app", organization_role: "developer", workspaces: { default: "workspace_user", prod: "workspace_admin" } },
      { name: "reporter", organization_role: "developer", workspaces: {} },
    ];
    doc.rules[0].match.subject_prefix = "repo:acme/web:ref:refs/heads/main";
    delete doc.rules[0].match.claims;
    doc.rules[0].workspaces = ["default", "prod"];
    doc.rules.push({
      name: "report",
      issuer: "github",
      service_account: "reporter",
      match: { subject_prefix: "repo:acme/reports:" },
      oauth_scope: "workspace:inference",
      token_lifetime_seconds: 900,
      applies_to_all_workspaces: true,
      workspaces: [],
    });
    const edited = configToYaml(doc);

    const before = await snapshot();
    const plan = await applyOrganizationConfig(ctx, edited, { dryRun: true });
    expect(plan).toMatchObject({ dry_run: true, applied: false });
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      "update workspace prod",
      "update service_account deployer",
      "create service_account reporter",
      "update rule deploy-main",
      "create rule report",
      "archive service_account auditor",
      "archive issuer internal",
    ]);
    expect(plan.changes[0]!.fields).toEqual({ "tags.team": { from: "platform", to: "payments" }, "tags.tier": { from: null, to: "1" } });
    expect(plan.changes[3]!.fields).toEqual({
      "match.claims.workflow": { from: "deploy", to: null },
      "match.subject_prefix": { from: "repo:acme/api:ref:refs/heads/main", to: "repo:acme/web:ref:refs/heads/main" },
      workspaces: { from: ["prod"], to: ["default", "prod"] },
    });
    expect(await snapshot()).toEqual(before);

    const applied = await applyOrganizationConfig(ctx, edited, { dryRun: false });
    expect(applied).toMatchObject({ dry_run: false, applied: true });
    expect(applied.changes).toEqual(plan.changes);
    expect(await exportYaml()).toBe(edited);

    // Idempotent: nothing to do, nothing written (not even an audit entry).
    const audits = await auditCount();
    expect(await applyOrganizationConfig(ctx, edited, { dryRun: false })).toEqual({ type: "organization_config_plan", dry_run: false, applied: false, changes: [] });
    expect(await auditCount()).toBe(audits);
  });

  it("archives what the file no longer lists (rules before their issuer), keeping the rows", async () => {
    const archived = await t.store.db.selectFrom("federation_issuers").select(["name", "archived_at"]).where("name", "=", "internal").executeTakeFirstOrThrow();
    expect(archived.archived_at).not.toBeNull();
    const doc = YAML.parse(await exportYaml()) as Doc;
    doc.rules = doc.rules.filter((r: Doc) => r.name !== "report");
    doc.service_accounts = doc.service_accounts.filter((s: Doc) => s.name !== "reporter");
    const plan = await applyOrganizationConfig(ctx, configToYaml(doc), { dryRun: false });
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual(["archive rule report", "archive service_account reporter"]);
    const rule = await t.store.db.selectFrom("federation_rules").select("archived_at").where("name", "=", "report").executeTakeFirstOrThrow();
    expect(rule.archived_at).not.toBeNull();
  });

  it("refuses a bad file with the path of each problem, changing nothing", async () => {
    const base = YAML.parse(await exportYaml()) as Doc;
    const variant = (edit: (d: Doc) => void) => {
      const d = structuredClone(base);
      edit(d);
      return configToYaml(d);
    };
    const cases: Array<[string, string, RegExp]> = [
      ["YAML syntax", "version: 1\nrules: [\n", /^not valid YAML: .*line 3/],
      // Attacks on the parser: each a 400, none a 500 or a hang.
      ["alias bomb", `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [${"*a,".repeat(9)}*a]\nc: &c [${"*b,".repeat(9)}*b]\nd: [${"*c,".repeat(9)}*c]\n`, /^not valid YAML: Excessive alias count/],
      ["code tag", "version: !!js/function 'return 1'\n", /^not valid YAML: Unresolved tag/],
      ["deep nesting", `version: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`, /^not valid YAML: Maximum call stack size exceeded/],
      ["not a mapping", "- just a list\n", /^must be a mapping with version/],
      ["missing section", "version: 1\nworkspaces: []\nissuers: []\nservice_accounts: []\n", /^rules: must be a list of rules \(write \[\] for none/],
      ["unknown top-level field", variant((d) => (d.extra = 1)), /^extra: unknown field$/],
      ["bare * subject", variant((d) => (d.rules[0].match.subject_prefix = "*")), /^rules\[0\]\.match\.subject_prefix: a bare \* is not a valid matcher/],
      ["unknown rule field", variant((d) => (d.rules[0].issuer_id = "fdis_x")), /^rules\[0\]\.issuer_id: unknown field$/],
      ["bad scope", variant((d) => (d.rules[0].oauth_scope = "org:everything")), /^rules\[0\]\.oauth_scope: unknown scope org:everything/],
      ["issuer not in file", variant((d) => (d.rules[0].issuer = "gitlab")), /^rules\[0\]\.issuer: no issuer named "gitlab" in issuers$/],
      ["workspace not in file", variant((d) => (d.rules[0].workspaces = ["staging"])), /^rules\[0\]\.workspaces\[0\]: no workspace named "staging"/],
      ["membership workspace not in file", variant((d) => (d.service_accounts[0].workspaces = { qa: "workspace_user" })), /^service_accounts\[0\]\.workspaces\.qa: no workspace named "qa"/],
      ["bad role", variant((d) => (d.service_accounts[0].workspaces = { prod: "owner" })), /^service_accounts\[0\]\.workspaces\.prod: must be one of workspace_admin/],
      ["duplicate name", variant((d) => d.issuers.push({ ...d.issuers[0] })), /^issuers\[1\]\.name: "github" is already used by issuers\[0\]$/],
      ["no workspace", variant((d) => (d.rules[0].workspaces = [])), /^rules\[0\]\.workspaces: must name at least one workspace unless applies_to_all_workspaces is true$/],
      // Checked by the operation itself, inside the transaction: rolled back, named by path.
      ["tenant not pinned", variant((d) => (d.rules[0].match = { claims: { workflow: "deploy" } })), /^rules\[0\]: match: .*GitHub Actions/],
      ["issuer changed", variant((d) => d.issuers.push({ name: "other", issuer_url: "https://other.example" }) && (d.rules[0].issuer = "other")), /^rules\[0\]: issuer: cannot change on an existing rule/],
      ["org:admin for a developer account", variant((d) => (d.rules[0].oauth_scope = "org:admin")), /^rules\[0\]: oauth_scope: org:admin requires a target service account whose organization_role is admin/],
    ];
    const before = await snapshot();
    for (const [name, text, message] of cases) {
      const attempt = applyOrganizationConfig(ctx, text, { dryRun: false });
      await expect(attempt, name).rejects.toMatchObject({ status: 400 });
      await expect(applyOrganizationConfig(ctx, text, { dryRun: false }), name).rejects.toThrow(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a change refused late rolls back the changes made before it", async () => {
    const doc = YAML.parse(await exportYaml()) as Doc;
    doc.service_accounts.push({ name: "zz-new", organization_role: "developer", workspaces: {} });
    doc.workspaces.push({ name: "staging" });
    // Created after the workspace and the account above, and refused: nothing may remain.
    doc.rules.push({ name: "open-door", match: { claims: { workflow: "deploy" } }, oauth_scope: "workspace:developer", issuer: "github", service_account: "zz-new", workspaces: ["staging"] });
    const before = await snapshot();
    await expect(applyOrganizationConfig(ctx, configToYaml(doc), { dryRun: false })).rejects.toThrow(/^rules\[1\]: match: /);
    expect(await snapshot()).toEqual(before);
  });

  it("holds a workload's org:admin token to the escalation rules, one case per path, changing nothing", async () => {
    const org = ctx.principal.organizationId;
    const workload: AdminContext = {
      ...ctx,
      principal: { kind: "access_token", id: "atok_1", organizationId: org, serviceAccountId: "svac_1", workspaceId: "wrkspc_1", scopes: new Set(["org:admin"]), ruleId: "fdrl_1", label: "ci" },
    };
    // An administrator's org:admin rule on the github issuer, which a workload must not reach through the file.
    const admin = YAML.parse(await exportYaml()) as Doc;
    admin.service_accounts.push({ name: "root", organization_role: "admin", workspaces: {} });
    admin.rules.push({ name: "root-rule", issuer: "github", service_account: "root", match: { subject_prefix: "repo:acme/admin:" }, oauth_scope: "org:admin", workspaces: ["default"] });
    await applyOrganizationConfig(ctx, configToYaml(admin), { dryRun: false });
    const base = YAML.parse(await exportYaml()) as Doc;
    const index = (section: string, name: string) => base[section].findIndex((e: Doc) => e.name === name);
    const variant = (edit: (d: Doc) => void) => {
      const d = structuredClone(base);
      edit(d);
      return configToYaml(d);
    };
    const cases: Array<[string, string, RegExp]> = [
      ["create an admin service account", variant((d) => d.service_accounts.push({ name: "zz-root", organization_role: "admin", workspaces: {} })), /^service_accounts\[\d\]: Access tokens cannot set organization_role admin/],
      ["promote an account to admin", variant((d) => (d.service_accounts[index("service_accounts", "deployer")].organization_role = "admin")), /^service_accounts\[\d\]: Access tokens cannot set organization_role admin/],
      ["create an org:admin rule", variant((d) => d.rules.push({ name: "zz-admin", issuer: "github", service_account: "root", match: { subject_prefix: "repo:acme/x:" }, oauth_scope: "org:admin", workspaces: ["default"] })), /^rules\[\d\]: OAuth callers may only manage rules whose oauth_scope is/],
      ["change the issuer behind an org:admin rule", variant((d) => (d.issuers[index("issuers", "github")].max_jwt_lifetime_seconds = 176400)), /^issuers\[\d\]: Access tokens cannot update federation issuer github: it backs rule root-rule/],
      ["archive the org:admin rule", variant((d) => (d.rules = d.rules.filter((r: Doc) => r.name !== "root-rule"))), /^rules \(archiving "root-rule"\): OAuth callers may only manage rules/],
    ];
    const before = await snapshot();
    for (const [name, text, message] of cases) {
      await expect(applyOrganizationConfig(workload, text, { dryRun: false }), name).rejects.toMatchObject({ status: expect.any(Number), message: expect.stringMatching(message) });
    }
    expect(await snapshot()).toEqual(before);
    // What the scope covers stays possible for the workload: a developer rule's subject.
    const allowed = variant((d) => (d.rules[index("rules", "deploy-main")].match.subject_prefix = "repo:acme/api:ref:refs/heads/release"));
    expect((await applyOrganizationConfig(workload, allowed, { dryRun: true })).changes.map((c) => c.name)).toEqual(["deploy-main"]);
  });

  it("needs a credential that may change configuration", async () => {
    const viewer: AdminContext = { ...ctx, principal: { kind: "user", id: "user_1", organizationId: ctx.principal.organizationId, role: "viewer", label: "v" } };
    await expect(exportOrganizationConfig(viewer)).resolves.toMatchObject({ version: 1 });
    await expect(applyOrganizationConfig(viewer, await exportYaml(), { dryRun: true })).rejects.toMatchObject({ status: 403 });
  });
});
