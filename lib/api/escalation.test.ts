/**
 * No self-escalation, through the real Admin API with a real `org:admin` access token from a
 * real exchange: one row per way such a token could otherwise let a workload obtain more than
 * an administrator granted. Each must be refused with 403 `permission_error`, saying where it
 * can be done instead, and change nothing. What the policy leaves to the token, and what an
 * admin key still may do, are checked too, so a blanket refusal would fail.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";

const AUD = "https://api.anthropic.com";
const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const ADMIN_ISSUER = "https://admin-idp.escalation.test";
const ADMIN_SUBJECT = "repo:acme/admin:ref:refs/heads/main";

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string): Promise<Key> {
  const pair = await generateKeyPair("ES256", { extractable: true });
  return { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: "ES256", use: "sig" } };
}

describe.each(DATABASE_KINDS)("no self-escalation with an org:admin access token (%s)", (kind) => {
  let server: TestServer;
  /** The issuer's real key, and the one a hostile workload holds. */
  let issuerKey: Key;
  let attackerKey: Key;
  let token: string;
  const ids: Record<string, string> = {};

  const sign = (key: Key, claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ADMIN_ISSUER, sub: ADMIN_SUBJECT, aud: AUD, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims }).setProtectedHeader({ alg: "ES256", kid: key.jwk.kid! }).sign(key.privateKey);
  };

  /** The real token endpoint: the reply's status and access token. */
  const exchange = async (assertion: string, ruleId = ids.rootRule!) => {
    const res = await fetch(`${server.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: GRANT, assertion, federation_rule_id: ruleId, organization_id: server.organizationId }),
    });
    const body = (await res.json()) as { access_token?: string; scope?: string };
    return { status: res.status, token: body.access_token, scope: body.scope };
  };

  /** The Admin API with `credential`: status and JSON body. */
  const call = async (credential: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/v1/organizations${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: { type: string; message: string } } & Record<string, unknown> };
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    issuerKey = await makeKey("real");
    attackerKey = await makeKey("attacker");
    const rule = (name: string, issuer: string, sa: string, oauth_scope: string, subject: string) =>
      server.admin("POST", "/federation_rules", {
        name,
        issuer_id: issuer,
        match: { subject_prefix: subject },
        target: { type: "service_account", service_account_id: sa },
        oauth_scope,
        workspace_id: "default",
      });
    const inline = (name: string, url: string) => server.admin("POST", "/federation_issuers", { name, issuer_url: url, jwks: { type: "inline", keys: [issuerKey.jwk] } });

    ids.adminIssuer = (await inline("admin-idp", ADMIN_ISSUER)).id;
    ids.tunnelIssuer = (await inline("tunnel-idp", "https://tunnel-idp.escalation.test")).id;
    ids.devIssuer = (await inline("dev-idp", "https://dev-idp.escalation.test")).id;
    ids.root = (await server.admin("POST", "/service_accounts", { name: "root", organization_role: "admin" })).id;
    ids.ci = (await server.admin("POST", "/service_accounts", { name: "ci" })).id;
    ids.ws = (await server.admin("POST", "/workspaces", { name: "Other" })).id;
    ids.rootRule = (await rule("root", ids.adminIssuer, ids.root, "org:admin", ADMIN_SUBJECT)).id;
    ids.tunnelRule = (await rule("tunnels", ids.tunnelIssuer, ids.ci, "workspace:manage_tunnels", "repo:acme/tunnels:*")).id;
    ids.devRule = (await rule("dev", ids.devIssuer, ids.ci, "workspace:developer", "repo:acme/app:*")).id;
    // An API key acting as the admin service account, switched off by an administrator.
    const key = await server.admin("POST", "/api_keys", { name: "root-key", service_account_id: ids.root });
    ids.rootKey = (key.api_key as { id: string }).id;
    await server.admin("POST", `/api_keys/${ids.rootKey}`, { status: "inactive" });

    const granted = await exchange(await sign(issuerKey));
    expect(granted).toMatchObject({ status: 200, scope: "org:admin" });
    token = granted.token!;
  });
  afterAll(async () => server?.close());

  type Attack = {
    name: string;
    method?: string;
    path: () => string;
    body: () => unknown;
    /** What the refused request must leave as it was, read with the admin key. */
    unchanged: () => string;
    /** A further check that the path stays closed. */
    then?: () => Promise<void>;
  };
  const newRule = (oauth_scope: string, sa = () => ids.root!) => () => ({
    name: `new-${oauth_scope.replace(/[^a-z]/g, "-")}`,
    issuer_id: ids.devIssuer,
    match: { subject_prefix: "repo:attacker/x:ref:refs/heads/main" },
    target: { type: "service_account", service_account_id: sa() },
    oauth_scope,
    workspace_id: "default",
  });
  const attacks: Attack[] = [
    { name: "create a rule granting org:admin", path: () => "/federation_rules", body: newRule("org:admin"), unchanged: () => "/federation_rules?limit=1000" },
    { name: "create a rule granting workspace:manage_tunnels", path: () => "/federation_rules", body: newRule("workspace:manage_tunnels", () => ids.ci!), unchanged: () => "/federation_rules?limit=1000" },
    { name: "raise a developer rule to org:admin", path: () => `/federation_rules/${ids.devRule}`, body: () => ({ oauth_scope: "org:admin", target: { type: "service_account", service_account_id: ids.root } }), unchanged: () => `/federation_rules/${ids.devRule}` },
    { name: "raise a developer rule to workspace:manage_tunnels", path: () => `/federation_rules/${ids.devRule}`, body: () => ({ oauth_scope: "workspace:manage_tunnels" }), unchanged: () => `/federation_rules/${ids.devRule}` },
    { name: "widen the org:admin rule's subject to its own repository", path: () => `/federation_rules/${ids.rootRule}`, body: () => ({ match: { subject_prefix: "repo:attacker/*" } }), unchanged: () => `/federation_rules/${ids.rootRule}` },
    { name: "enable the org:admin rule in another workspace", path: () => `/federation_rules/${ids.rootRule}/workspaces`, body: () => ({ workspace_id: ids.ws }), unchanged: () => `/federation_rules/${ids.rootRule}` },
    {
      name: "add a key of its own to the issuer behind the org:admin rule",
      path: () => `/federation_issuers/${ids.adminIssuer}`,
      body: () => ({ jwks: { type: "inline", keys: [issuerKey.jwk, attackerKey.jwk] } }),
      unchanged: () => `/federation_issuers/${ids.adminIssuer}`,
      // The attack it would have enabled: an assertion the workload signs itself, exchanged for org:admin.
      then: async () => expect((await exchange(await sign(attackerKey))).status).toBe(401),
    },
    { name: "point the issuer's keys at a URL it controls", path: () => `/federation_issuers/${ids.adminIssuer}`, body: () => ({ jwks: { type: "explicit_url", url: "https://keys.attacker.test/jwks.json" } }), unchanged: () => `/federation_issuers/${ids.adminIssuer}` },
    { name: "move the issuer's discovery to a host it controls", path: () => `/federation_issuers/${ids.adminIssuer}`, body: () => ({ jwks: { type: "discovery", discovery_base: "https://attacker.test" } }), unchanged: () => `/federation_issuers/${ids.adminIssuer}` },
    { name: "change the issuer's URL", path: () => `/federation_issuers/${ids.adminIssuer}`, body: () => ({ issuer_url: "https://idp.attacker.test" }), unchanged: () => `/federation_issuers/${ids.adminIssuer}` },
    {
      name: "raise the issuer's max_jwt_lifetime_seconds",
      path: () => `/federation_issuers/${ids.adminIssuer}`,
      body: () => ({ max_jwt_lifetime_seconds: 176400 }),
      unchanged: () => `/federation_issuers/${ids.adminIssuer}`,
      then: async () => {
        const now = Math.floor(Date.now() / 1000);
        expect((await exchange(await sign(issuerKey, { iat: now, exp: now + 170000 }))).status).toBe(401);
      },
    },
    { name: "turn off the issuer's single-use jti", path: () => `/federation_issuers/${ids.adminIssuer}`, body: () => ({ check_jti: false }), unchanged: () => `/federation_issuers/${ids.adminIssuer}` },
    { name: "add a key to the issuer behind a workspace:manage_tunnels rule", path: () => `/federation_issuers/${ids.tunnelIssuer}`, body: () => ({ jwks: { type: "inline", keys: [attackerKey.jwk] } }), unchanged: () => `/federation_issuers/${ids.tunnelIssuer}` },
    { name: "promote a service account to admin", path: () => `/service_accounts/${ids.ci}`, body: () => ({ organization_role: "admin" }), unchanged: () => `/service_accounts/${ids.ci}` },
    { name: "create an admin service account", path: () => "/service_accounts", body: () => ({ name: "shadow-admin", organization_role: "admin" }), unchanged: () => "/service_accounts?limit=1000" },
    { name: "create an API key acting as the admin service account", path: () => "/api_keys", body: () => ({ name: "shadow", service_account_id: ids.root }), unchanged: () => "/api_keys?limit=1000" },
    { name: "reactivate an API key acting as the admin service account", path: () => `/api_keys/${ids.rootKey}`, body: () => ({ status: "active" }), unchanged: () => `/api_keys/${ids.rootKey}` },
  ];

  it.each(attacks)("refuses: $name", async ({ method = "POST", path, body, unchanged, then }) => {
    const before = await server.admin("GET", unchanged());
    const { status, body: reply } = await call(token, method, path(), body());
    expect(status, JSON.stringify(reply)).toBe(403);
    expect(reply.error?.type).toBe("permission_error");
    // Says why, and where it can be done instead.
    expect(reply.error?.message).toMatch(/console.*admin key/);
    expect(await server.admin("GET", unchanged())).toEqual(before);
    await then?.();
  });

  type Allowed = { name: string; credential: () => string; path: () => string; body: () => unknown };
  const allowed: Allowed[] = [
    { name: "the token creates a developer rule on the org:admin rule's issuer", credential: () => token, path: () => "/federation_rules", body: () => ({ ...newRule("workspace:developer", () => ids.ci!)(), issuer_id: ids.adminIssuer, name: "dev-on-admin-idp" }) },
    { name: "the token adds a key to an issuer behind developer rules only", credential: () => token, path: () => `/federation_issuers/${ids.devIssuer}`, body: () => ({ jwks: { type: "inline", keys: [issuerKey.jwk, attackerKey.jwk] } }) },
    { name: "the token creates a developer service account", credential: () => token, path: () => "/service_accounts", body: () => ({ name: "helper" }) },
    { name: "the token creates an API key for a developer service account", credential: () => token, path: () => "/api_keys", body: () => ({ name: "ci-key", service_account_id: ids.ci }) },
    { name: "an admin key raises the org:admin issuer's lifetime limit", credential: () => server.adminKey, path: () => `/federation_issuers/${ids.adminIssuer}`, body: () => ({ max_jwt_lifetime_seconds: 7200 }) },
    { name: "an admin key promotes a service account", credential: () => server.adminKey, path: () => `/service_accounts/${ids.ci}`, body: () => ({ organization_role: "admin" }) },
  ];

  it.each(allowed)("allows: $name", async ({ credential, path, body }) => {
    const { status, body: reply } = await call(credential(), "POST", path(), body());
    expect(status, JSON.stringify(reply)).toBe(200);
  });
});
