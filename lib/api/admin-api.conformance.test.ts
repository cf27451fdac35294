/**
 * Conformance: the unmodified official SDK drives the Admin API of a real server, on
 * SQLite and on PostgreSQL. If a field, path, status or pagination shape drifts from what
 * the SDK expects, these calls fail.
 */
import Anthropic from "@anthropic-ai/sdk";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";

/** A public RSA-2048 JWK for inline issuers; generated per run, never used to verify here. */
async function inlineJwk() {
  const { publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(publicKey)), kid: "k1", use: "sig", alg: "RS256" };
}

describe.each(DATABASE_KINDS)("Admin API with the official SDK (%s)", (kind) => {
  let server: TestServer;
  let client: Anthropic;
  const org = () => client.beta.organization;

  beforeAll(async () => {
    server = await startTestServer(kind);
    client = new Anthropic({ apiKey: server.adminKey, baseURL: server.url, maxRetries: 0 });
  });
  afterAll(async () => server?.close());

  it("retrieves the organization", async () => {
    const me = await org().retrieve();
    expect(me).toEqual({ id: server.organizationId, type: "organization", name: expect.any(String) });
    expect(me.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("creates, retrieves, updates, lists and archives service accounts", async () => {
    const created = await org().serviceAccounts.create({ name: "deploy-bot", description: "CI deploys" });
    expect(created).toMatchObject({
      type: "service_account",
      name: "deploy-bot",
      description: "CI deploys",
      organization_role: "developer",
      archived_at: null,
      created_by_actor_id: expect.stringMatching(/^apikey_/),
    });
    expect(created.id).toMatch(/^svac_/);
    expect(await org().serviceAccounts.retrieve(created.id)).toEqual(created);

    const updated = await org().serviceAccounts.update(created.id, { organization_role: "admin", description: null });
    expect(updated).toMatchObject({ organization_role: "admin", description: "" });

    const dup = await org().serviceAccounts.create({ name: "deploy-bot" }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Anthropic.ConflictError);

    const bad = await org().serviceAccounts.create({ name: "Deploy Bot" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.BadRequestError>).message).toContain("name: must contain only lowercase letters");

    const missing = await org().serviceAccounts.retrieve("svac_01NOPE").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);

    const archived = await org().serviceAccounts.archive(created.id);
    expect(archived.archived_at).not.toBeNull();
    // Idempotent: re-archiving returns the original archived_at.
    expect((await org().serviceAccounts.archive(created.id)).archived_at).toBe(archived.archived_at);
  });

  it("lists across pages with cursor pagination and include_archived", async () => {
    const names = Array.from({ length: 7 }, (_, i) => `paged-${i}`);
    const ids: string[] = [];
    for (const name of names) ids.push((await org().serviceAccounts.create({ name })).id);
    await org().serviceAccounts.archive(ids[0]!);

    const seen: string[] = [];
    for await (const sa of org().serviceAccounts.list({ limit: 2 })) seen.push(sa.id);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids.slice(1)].reverse());

    const withArchived: string[] = [];
    for await (const sa of org().serviceAccounts.list({ limit: 3, include_archived: true })) withArchived.push(sa.id);
    expect(withArchived).toContain(ids[0]);

    const firstPage = await org().serviceAccounts.list({ limit: 2 });
    expect(firstPage.data).toHaveLength(2);
    expect(firstPage.next_page).toEqual(expect.any(String));
  });

  it("manages issuers of every JWKS mode, and refuses archiving one with live rules", async () => {
    const discovery = await org().federation.issuers.create({ name: "github", issuer_url: "https://token.actions.githubusercontent.com" });
    expect(discovery).toMatchObject({
      type: "federation_issuer",
      jwks: { type: "discovery" },
      check_jti: true,
      max_jwt_lifetime_seconds: 3600,
      jwks_polling_disabled_at: null,
      poll_status: { consecutive_failures: 0, last_fetched_at: null },
    });
    const explicit = await org().federation.issuers.create({
      name: "eks",
      issuer_url: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      jwks: { type: "explicit_url", url: "https://keys.example.com/jwks.json" },
      check_jti: false,
      max_jwt_lifetime_seconds: 7200,
    });
    expect(explicit).toMatchObject({ check_jti: false, max_jwt_lifetime_seconds: 7200, jwks: { type: "explicit_url", url: "https://keys.example.com/jwks.json" } });
    const inline = await org().federation.issuers.create({ name: "private-k8s", issuer_url: "https://k8s.internal.example", jwks: { type: "inline", keys: [await inlineJwk()] } });
    expect(inline.poll_status).toBeNull();

    const renamed = await org().federation.issuers.update(inline.id, { name: "private-cluster", max_jwt_lifetime_seconds: 600 });
    expect(renamed).toMatchObject({ name: "private-cluster", max_jwt_lifetime_seconds: 600, issuer_url: "https://k8s.internal.example" });

    const httpIssuer = await org().federation.issuers.create({ name: "plain", issuer_url: "http://idp.example.com" }).catch((e: unknown) => e);
    expect(httpIssuer).toBeInstanceOf(Anthropic.BadRequestError);
    expect((httpIssuer as Error).message).toContain("issuer_url: url must use https scheme");

    const sa = await org().serviceAccounts.create({ name: "issuer-test-sa" });
    const rule = await org().federation.rules.create({
      name: "eks-rule",
      issuer_id: explicit.id,
      match: { subject_prefix: "system:serviceaccount:prod:api" },
      target: { type: "service_account", service_account_id: sa.id },
      oauth_scope: "workspace:developer",
      workspace_id: "default",
    });
    const blocked = await org().federation.issuers.archive(explicit.id).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(Anthropic.BadRequestError);
    await org().federation.rules.archive(rule.id);
    const archived = await org().federation.issuers.archive(explicit.id);
    expect(archived.archived_at).not.toBeNull();
    expect((await org().federation.issuers.archive(explicit.id)).archived_at).toBe(archived.archived_at);

    const listed: string[] = [];
    for await (const i of org().federation.issuers.list({ limit: 1 })) listed.push(i.name);
    expect(listed).toEqual(expect.arrayContaining(["github", "private-cluster"]));
    expect(listed).not.toContain("eks");
  });

  it("manages rules and their workspaces", async () => {
    const issuer = await org().federation.issuers.create({ name: "gha-rules", issuer_url: "https://token.actions.githubusercontent.com" });
    const sa = await org().serviceAccounts.create({ name: "rules-sa" });
    const ws = await org().workspaces.create({ name: "Production" });

    const rule = await org().federation.rules.create({
      name: "deploy-main",
      description: "deploys from main",
      issuer_id: issuer.id,
      match: { subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { repository_owner_id: "123" } },
      target: { type: "service_account", service_account_id: sa.id },
      oauth_scope: "workspace:developer",
      token_lifetime_seconds: 900,
      workspace_id: ws.id,
    });
    expect(rule).toMatchObject({
      type: "federation_rule",
      issuer_id: issuer.id,
      issuer_name: "gha-rules",
      match: { subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { repository_owner_id: "123" }, audience: null, condition: null },
      target: { type: "service_account", service_account_id: sa.id, service_account_name: "rules-sa" },
      token_lifetime_seconds: 900,
      workspace_id: ws.id,
      workspace_ids: [ws.id],
      applies_to_all_workspaces: false,
      attributes: null,
    });
    expect(await org().federation.rules.retrieve(rule.id)).toEqual(rule);

    const updated = await org().federation.rules.update(rule.id, { match: { subject_prefix: "repo:acme/api:environment:prod" }, token_lifetime_seconds: 600 });
    expect(updated.match.subject_prefix).toBe("repo:acme/api:environment:prod");
    expect(updated.token_lifetime_seconds).toBe(600);

    const ws2 = await org().workspaces.create({ name: "Staging" });
    const added = await org().federation.rules.workspaces.add(rule.id, { workspace_id: ws2.id });
    expect(added).toMatchObject({ type: "federation_rule_workspace", federation_rule_id: rule.id, workspace_id: ws2.id });
    const enabled: string[] = [];
    for await (const w of org().federation.rules.workspaces.list(rule.id)) enabled.push(w.workspace_id);
    expect(enabled.sort()).toEqual([ws.id, ws2.id].sort());
    const removed = await org().federation.rules.workspaces.remove(ws2.id, { federation_rule_id: rule.id });
    expect(removed).toEqual({ type: "federation_rule_workspace_deleted", federation_rule_id: rule.id, workspace_id: ws2.id });

    const byIssuer: string[] = [];
    for await (const r of org().federation.rules.list({ issuer_id: issuer.id })) byIssuer.push(r.id);
    expect(byIssuer).toEqual([rule.id]);

    const archived = await org().federation.rules.archive(rule.id);
    expect(archived).toMatchObject({ workspace_id: null, workspace_ids: [] });
    expect(archived.archived_at).not.toBeNull();
    const updateArchived = await org().federation.rules.update(rule.id, { name: "again" }).catch((e: unknown) => e);
    expect(updateArchived).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it("rejects invalid rules with the field named first", async () => {
    const issuer = await org().federation.issuers.create({ name: "bad-rules", issuer_url: "https://idp.bad-rules.example" });
    const sa = await org().serviceAccounts.create({ name: "bad-rules-sa" });
    const base = {
      name: "bad",
      issuer_id: issuer.id,
      target: { type: "service_account" as const, service_account_id: sa.id },
      oauth_scope: "workspace:developer",
      workspace_id: "default",
    };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["audience alone", { match: { audience: "https://api.anthropic.com" } }, "match: audience alone is not sufficient"],
      ["bare *", { match: { subject_prefix: "*" } }, "match.subject_prefix: a bare * is not a valid matcher"],
      ["constant-true CEL", { match: { condition: "true" } }, "match.condition:"],
      ["lifetime too short", { match: { subject_prefix: "x" }, token_lifetime_seconds: 59 }, "token_lifetime_seconds: must be between 60 and 86400"],
      ["org:admin on developer", { match: { subject_prefix: "x" }, oauth_scope: "org:admin" }, "oauth_scope: org:admin requires"],
      ["unknown scope", { match: { subject_prefix: "x" }, oauth_scope: "workspace:everything" }, "oauth_scope: unknown scope"],
    ];
    for (const [label, patch, message] of cases) {
      const err = await org()
        .federation.rules.create({ ...base, ...patch } as never)
        .catch((e: unknown) => e);
      expect(err, label).toBeInstanceOf(Anthropic.BadRequestError);
      expect((err as Error).message, label).toContain(message);
    }
  });

  it("manages workspaces and service-account memberships", async () => {
    const ws = await org().workspaces.create({ name: "Research", tags: { team: "ml" } });
    expect(ws).toMatchObject({ type: "workspace", name: "Research", tags: { team: "ml" }, archived_at: null });
    expect(ws.id).toMatch(/^wrkspc_/);
    expect(await org().workspaces.retrieve(ws.id)).toMatchObject({ id: ws.id });
    expect(await org().workspaces.update(ws.id, { name: "Research lab" })).toMatchObject({ name: "Research lab" });

    const sa = await org().serviceAccounts.create({ name: "member-sa" });
    const member = await org().serviceAccounts.workspaces.add(sa.id, { workspace_id: ws.id, workspace_role: "workspace_developer" });
    expect(member).toMatchObject({ type: "service_account_workspace_member", service_account_id: sa.id, workspace_id: ws.id, workspace_role: "workspace_developer", implicit: false });
    const memberships: Array<{ workspace_id: string; implicit: boolean | null }> = [];
    for await (const m of org().serviceAccounts.workspaces.list(sa.id)) memberships.push(m);
    expect(memberships).toEqual(expect.arrayContaining([expect.objectContaining({ workspace_id: ws.id, implicit: false }), expect.objectContaining({ implicit: true })]));

    const viaWorkspace = await org().workspaces.serviceAccounts.retrieve(sa.id, { workspace_id: ws.id });
    expect(viaWorkspace.workspace_role).toBe("workspace_developer");
    const removed = await org().serviceAccounts.workspaces.remove(ws.id, { service_account_id: sa.id });
    expect(removed).toMatchObject({ type: "service_account_workspace_member_deleted", service_account_id: sa.id, workspace_id: ws.id });

    const listed: string[] = [];
    for await (const w of org().workspaces.list({ limit: 1 })) listed.push(w.id);
    expect(listed).toContain(ws.id);
    const archived = await org().workspaces.archive(ws.id);
    expect(archived.archived_at).not.toBeNull();
  });

  it("answers bad credentials with 401 and an unknown ID with 404 in the platform envelope", async () => {
    const anonymous = new Anthropic({ apiKey: "sk-ant-admin01-not-a-real-key", baseURL: server.url, maxRetries: 0 });
    const err = await anonymous.beta.organization.retrieve().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const res = await fetch(`${server.url}/v1/organizations/federation_rules/fdrl_missing`, { headers: { "x-api-key": server.adminKey } });
    expect(res.status).toBe(404);
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    expect(await res.json()).toEqual({ type: "error", error: { type: "not_found_error", message: expect.stringContaining("fdrl_missing") } });
  });
});
