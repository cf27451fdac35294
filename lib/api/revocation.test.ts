/**
 * Revocation that takes effect: one row per change that takes away what granted an access
 * token. Each row obtains a real token by a real exchange, sees it work, makes the change
 * through the Admin API and, as soon as that call returns, finds the token refused (401). On
 * PostgreSQL the change goes through one instance and the token is refused at another sharing
 * the database. Changes that take nothing away must leave the token working.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/serve";
import { DATABASE_KINDS, startServerOn, startTestServer, type TestServer } from "../../e2e/support/test-server";

const ISSUER = "https://issuer.revocation.test";
const AUD = "https://api.anthropic.com";
const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

describe.each(DATABASE_KINDS)("access tokens revoked by a change (%s)", (kind) => {
  /** Where the changes are made, and where the token is used: another instance on PostgreSQL. */
  let a: TestServer;
  let b: RunningServer;
  let key: { privateKey: CryptoKey; jwk: JWK };
  let issuerId: string;
  let n = 0;

  beforeAll(async () => {
    a = await startTestServer(kind);
    b = kind === "postgres" ? await startServerOn(a.databaseUrl) : a;
    const pair = await generateKeyPair("ES256", { extractable: true });
    key = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" } };
    issuerId = (await a.admin("POST", "/federation_issuers", { name: "revocation-idp", issuer_url: ISSUER, jwks: { type: "inline", keys: [key.jwk] } })).id;
  });
  afterAll(async () => {
    if (b && b !== a) await b.close();
    await a?.close();
  });

  interface Grant {
    token: string;
    rule: string;
    sa: string;
    ws: string;
    scope: string;
  }

  /** A service account, a workspace it belongs to, a rule into it, and a token from a real exchange at instance A. */
  async function grant(scope: string): Promise<Grant> {
    const i = ++n;
    const sa = (await a.admin("POST", "/service_accounts", { name: `sa-${i}`, organization_role: scope === "org:admin" ? "admin" : "developer" })).id;
    const ws = (await a.admin("POST", "/workspaces", { name: `Workspace ${i}` })).id;
    await a.admin("POST", `/service_accounts/${sa}/workspaces`, { workspace_id: ws, workspace_role: "workspace_developer" });
    const subject = `repo:acme/app-${i}:ref:refs/heads/main`;
    const rule = (
      await a.admin("POST", "/federation_rules", {
        name: `rule-${i}`,
        issuer_id: issuerId,
        match: { subject_prefix: subject },
        target: { type: "service_account", service_account_id: sa },
        oauth_scope: scope,
        workspace_id: ws,
      })
    ).id;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: ISSUER, sub: subject, aud: AUD, iat: now, exp: now + 300, jti: crypto.randomUUID() }).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(key.privateKey);
    const res = await fetch(`${a.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: GRANT, assertion, federation_rule_id: rule, organization_id: a.organizationId, workspace_id: ws }),
    });
    const body = (await res.json()) as { access_token: string; scope: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.scope).toBe(scope);
    return { token: body.access_token, rule, sa, ws, scope };
  }

  /** What the token may do at `server`: who it is, and — for org:admin — read the configuration. */
  async function use(server: RunningServer, g: Grant): Promise<number[]> {
    const paths = ["/me", ...(g.scope === "org:admin" ? ["/federation_rules"] : [])];
    const statuses: number[] = [];
    for (const path of paths) {
      const res = await fetch(`${server.url}/v1/organizations${path}`, { headers: { authorization: `Bearer ${g.token}` } });
      const body = (await res.json()) as { error?: { type: string } };
      if (res.status === 401) expect(body.error?.type).toBe("authentication_error");
      statuses.push(res.status);
    }
    return statuses;
  }

  type Change = { name: string; scope: string; change: (g: Grant) => Promise<unknown> };
  const revoking: Change[] = [
    { name: "its rule archived", scope: "workspace:developer", change: (g) => a.admin("POST", `/federation_rules/${g.rule}/archive`) },
    { name: "its org:admin rule archived", scope: "org:admin", change: (g) => a.admin("POST", `/federation_rules/${g.rule}/archive`) },
    { name: "its workspace archived", scope: "workspace:developer", change: (g) => a.admin("POST", `/workspaces/${g.ws}/archive`) },
    { name: "its service account archived", scope: "workspace:developer", change: (g) => a.admin("POST", `/service_accounts/${g.sa}/archive`) },
    { name: "its service account demoted below org:admin", scope: "org:admin", change: (g) => a.admin("POST", `/service_accounts/${g.sa}`, { organization_role: "developer" }) },
    { name: "its service account removed from the workspace", scope: "workspace:developer", change: (g) => a.admin("DELETE", `/service_accounts/${g.sa}/workspaces/${g.ws}`) },
    { name: "its rule narrowed to another scope", scope: "workspace:developer", change: (g) => a.admin("POST", `/federation_rules/${g.rule}`, { oauth_scope: "workspace:inference" }) },
    {
      name: "its rule retargeted to another service account",
      scope: "workspace:developer",
      change: async (g) => {
        const other = (await a.admin("POST", "/service_accounts", { name: `other-${g.sa.slice(-8).toLowerCase()}` })).id;
        await a.admin("POST", `/service_accounts/${other}/workspaces`, { workspace_id: g.ws, workspace_role: "workspace_developer" });
        return a.admin("POST", `/federation_rules/${g.rule}`, { target: { type: "service_account", service_account_id: other } });
      },
    },
    { name: "its workspace taken off the rule", scope: "workspace:developer", change: (g) => a.admin("DELETE", `/federation_rules/${g.rule}/workspaces/${g.ws}`) },
  ];

  it.each(revoking)("refuses the token once $name", async ({ scope, change }) => {
    const g = await grant(scope);
    expect(await use(b, g)).toEqual(scope === "org:admin" ? [200, 200] : [200]);
    await change(g);
    // At once, at the other instance: no cache, no wait.
    expect(await use(b, g)).toEqual(scope === "org:admin" ? [401, 401] : [401]);
    expect(await use(a, g)).toEqual(scope === "org:admin" ? [401, 401] : [401]);
  });

  const harmless: Change[] = [
    { name: "its rule renamed and described", scope: "org:admin", change: (g) => a.admin("POST", `/federation_rules/${g.rule}`, { name: `renamed-${g.rule.slice(-6).toLowerCase()}`, description: "still here" }) },
    { name: "its rule widened to a second scope", scope: "workspace:developer", change: (g) => a.admin("POST", `/federation_rules/${g.rule}`, { oauth_scope: "workspace:developer workspace:inference" }) },
    { name: "its service account added to another workspace", scope: "workspace:developer", change: async (g) => a.admin("POST", `/service_accounts/${g.sa}/workspaces`, { workspace_id: "default", workspace_role: "workspace_user" }) },
    {
      name: "another rule of its service account archived",
      scope: "workspace:developer",
      change: async (g) => {
        const other = await a.admin("POST", "/federation_rules", {
          name: `sibling-${g.rule.slice(-6).toLowerCase()}`,
          issuer_id: issuerId,
          match: { subject_prefix: "repo:acme/sibling:*" },
          target: { type: "service_account", service_account_id: g.sa },
          oauth_scope: "workspace:developer",
          workspace_id: g.ws,
        });
        return a.admin("POST", `/federation_rules/${other.id}/archive`);
      },
    },
  ];

  it.each(harmless)("keeps the token once $name", async ({ scope, change }) => {
    const g = await grant(scope);
    await change(g);
    expect(await use(b, g)).toEqual(scope === "org:admin" ? [200, 200] : [200]);
  });
});
