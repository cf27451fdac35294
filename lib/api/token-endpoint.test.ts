/**
 * The token endpoint against a real server and database: one row per deny reason, each
 * asserting the caller's opaque reply AND the reason recorded in the history. Removing any
 * check changes the recorded reason (or grants), so its row fails.
 */
import http from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, startServerOn, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { ruleInput } from "../../e2e/support/rule-input";

const ISSUER = "https://issuer.wif.test";
const AUD = "https://api.anthropic.com";
const SUBJECT = "repo:acme/app:ref:refs/heads/main";
const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

interface Keys {
  rsa: { privateKey: CryptoKey; jwk: JWK };
  other: { privateKey: CryptoKey };
}

async function makeKeys(): Promise<Keys> {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256", { extractable: true });
  return { rsa: { privateKey: rsa.privateKey, jwk: { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" } }, other: { privateKey: other.privateKey } };
}

describe.each(DATABASE_KINDS)("POST /v1/oauth/token (%s)", (kind) => {
  let server: TestServer;
  let keys: Keys;
  const ids: Record<string, string> = {};

  const sign = (claims: Record<string, unknown>, opts: { key?: CryptoKey; kid?: string | null; header?: Record<string, unknown> } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const header: Record<string, unknown> = { alg: "RS256", ...(opts.kid === null ? {} : { kid: opts.kid ?? "k1" }), ...opts.header };
    return new SignJWT({ iss: ISSUER, sub: SUBJECT, aud: AUD, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader(header as never)
      // Tell jose the hostile `crit` extension is understood, so it signs what the server must refuse.
      .sign(opts.key ?? keys.rsa.privateKey, { crit: { "x-custom": true } });
  };

  const exchange = async (assertion: string, extra: Record<string, unknown> = {}, ruleId = ids.rule!) => {
    const res = await fetch(`${server.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: GRANT, assertion, federation_rule_id: ruleId, organization_id: server.organizationId, ...extra }),
    });
    return { res, body: (await res.json()) as Record<string, unknown>, requestId: res.headers.get("request-id")! };
  };

  const historyFor = (requestId: string) =>
    server.runtime.store.db.selectFrom("auth_events").selectAll().where("request_id", "=", requestId).executeTakeFirst();

  beforeAll(async () => {
    server = await startTestServer(kind);
    keys = await makeKeys();
    const issuer = await server.admin("POST", "/federation_issuers", { name: "test-issuer", issuer_url: ISSUER, jwks: { type: "inline", keys: [keys.rsa.jwk] } });
    ids.issuer = issuer.id;
    ids.sa = (await server.admin("POST", "/service_accounts", { name: "ci" })).id;
    ids.adminSa = (await server.admin("POST", "/service_accounts", { name: "ci-admin", organization_role: "admin" })).id;
    ids.ws1 = (await server.admin("POST", "/workspaces", { name: "One" })).id;
    ids.ws2 = (await server.admin("POST", "/workspaces", { name: "Two" })).id;
    const rule = (name: string, extra: Record<string, unknown> = {}) => server.admin("POST", "/federation_rules", ruleInput(name, ids.issuer!, ids.sa!, SUBJECT, extra));
    ids.rule = (await rule("main")).id;
    ids.claimsRule = (await rule("claims", { match: { subject_prefix: "repo:acme/*", claims: { repository_owner_id: "42" } } })).id;
    ids.conditionRule = (await rule("condition", { match: { subject_prefix: "repo:acme/*", condition: 'claims.ref_protected == "true"' } })).id;
    ids.archivedRule = (await rule("archived")).id;
    await server.admin("POST", `/federation_rules/${ids.archivedRule}/archive`);
    ids.twoWorkspaces = (await rule("two-ws", { workspace_id: ids.ws1 })).id;
    await server.admin("POST", `/service_accounts/${ids.sa}/workspaces`, { workspace_id: ids.ws1, workspace_role: "workspace_developer" });
    await server.admin("POST", `/federation_rules/${ids.twoWorkspaces}/workspaces`, { workspace_id: ids.ws2 });
    ids.notMember = (await rule("not-member", { workspace_id: ids.ws2 })).id;
    const doomed = (await server.admin("POST", "/service_accounts", { name: "doomed" })).id;
    ids.archivedSaRule = (await rule("archived-sa", { target: { type: "service_account", service_account_id: doomed } })).id;
    await server.admin("POST", `/service_accounts/${doomed}/archive`);
    const demoted = (await server.admin("POST", "/service_accounts", { name: "demoted", organization_role: "admin" })).id;
    ids.demotedRule = (await rule("demoted", { target: { type: "service_account", service_account_id: demoted }, oauth_scope: "org:admin" })).id;
    await server.admin("POST", `/service_accounts/${demoted}`, { organization_role: "developer" });
    ids.adminRule = (await rule("admin", { target: { type: "service_account", service_account_id: ids.adminSa }, oauth_scope: "org:admin", match: { subject_prefix: "repo:acme/admin:ref:refs/heads/main" } })).id;
    // An issuer archived underneath a live rule can only arise through the store (the API refuses it).
    const other = await server.admin("POST", "/federation_issuers", { name: "gone", issuer_url: "https://gone.wif.test", jwks: { type: "inline", keys: [keys.rsa.jwk] } });
    ids.archivedIssuerRule = (await rule("archived-issuer", { issuer_id: other.id })).id;
    await server.runtime.store.db.updateTable("federation_issuers").set({ archived_at: new Date().toISOString() }).where("id", "=", other.id).execute();
    // Remote keys that the SSRF guard must refuse to fetch (loopback, development setting off).
    // The API refuses a loopback key URL when entered, so only the store can hold one.
    const remote = await server.admin("POST", "/federation_issuers", { name: "remote", issuer_url: "https://remote.wif.test", jwks: { type: "inline", keys: [keys.rsa.jwk] } });
    await server.runtime.store.db.updateTable("federation_issuers").set({ jwks: JSON.stringify({ type: "explicit_url", url: "https://127.0.0.1:9/jwks.json" }) }).where("id", "=", remote.id).execute();
    ids.remoteRule = (await rule("remote", { issuer_id: remote.id })).id;
  });
  afterAll(async () => server?.close());

  it("grants a valid assertion and records it with the token, together", async () => {
    const { res, body, requestId } = await exchange(await sign({}));
    expect(res.status).toBe(200);
    expect(body).toEqual({ access_token: expect.stringMatching(/^sk-ant-oat01-/), token_type: "Bearer", expires_in: expect.any(Number), scope: "workspace:developer" });
    // Lifetime: min(rule 3600, 2 × ~300 s remaining) ≈ 600.
    expect(body.expires_in).toBeGreaterThan(590);
    expect(body.expires_in).toBeLessThanOrEqual(600);
    const event = await historyFor(requestId);
    expect(event).toMatchObject({ outcome: "granted", reason: null, federation_rule_id: ids.rule, subject: SUBJECT, claims_verified: 1 });
    const token = await server.runtime.store.db.selectFrom("access_tokens").selectAll().where("id", "=", event!.access_token_id!).executeTakeFirst();
    expect(token).toMatchObject({ request_id: requestId, service_account_id: ids.sa });
    // The history holds claims, never the JWT or the minted token.
    expect(JSON.stringify(event)).not.toContain(String(body.access_token));
    expect(event!.claims).not.toContain(".ey");
  });

  it("accepts form-encoded requests", async () => {
    const form = new URLSearchParams({ grant_type: GRANT, assertion: await sign({}), federation_rule_id: ids.rule!, organization_id: server.organizationId });
    const res = await fetch(`${server.url}/v1/oauth/token`, { method: "POST", body: form });
    expect(res.status).toBe(200);
  });

  type Case = {
    name: string;
    reason: string;
    status?: number;
    /** The workspace the history records, for a denial that got as far as naming or resolving one. */
    workspace?: () => string;
    make: () => Promise<{ assertion: string; extra?: Record<string, unknown>; rule?: string }>;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const cases: Case[] = [
    { name: "unknown grant_type", reason: "invalid_request", status: 400, make: async () => ({ assertion: await sign({}), extra: { grant_type: "client_credentials" } }) },
    { name: "assertion over 16 KiB", reason: "assertion_too_large", status: 400, make: async () => ({ assertion: await sign({ pad: "x".repeat(17 * 1024) }) }) },
    { name: "rule that does not exist", reason: "rule_not_found", make: async () => ({ assertion: await sign({}), rule: "fdrl_01UNKNOWN" }) },
    { name: "another organization", reason: "organization_mismatch", make: async () => ({ assertion: await sign({}), extra: { organization_id: "00000000-0000-4000-8000-000000000000" } }) },
    { name: "archived rule", reason: "rule_archived", make: async () => ({ assertion: await sign({}), rule: ids.archivedRule }) },
    { name: "archived issuer", reason: "issuer_archived", make: async () => ({ assertion: await sign({}), rule: ids.archivedIssuerRule }) },
    { name: "not a JWT", reason: "malformed_jwt", make: async () => ({ assertion: "not.a-jwt" }) },
    { name: "alg none", reason: "algorithm_not_allowed", make: async () => ({ assertion: `${b64({ alg: "none", kid: "k1" })}.${b64({ iss: ISSUER, sub: SUBJECT, aud: AUD, iat: now(), exp: now() + 60 })}.` }) },
    { name: "kid missing", reason: "kid_missing", make: async () => ({ assertion: await sign({}, { kid: null }) }) },
    { name: "unknown kid", reason: "unknown_kid", make: async () => ({ assertion: await sign({}, { kid: "rotated-away" }) }) },
    { name: "signed by another key", reason: "signature_invalid", make: async () => ({ assertion: await sign({}, { key: keys.other.privateKey }) }) },
    { name: "unknown crit header", reason: "unsupported_header", make: async () => ({ assertion: await sign({}, { header: { crit: ["x-custom"], "x-custom": 1 } }) }) },
    { name: "issuer with trailing slash", reason: "issuer_mismatch", make: async () => ({ assertion: await sign({ iss: `${ISSUER}/` }) }) },
    { name: "missing sub", reason: "missing_claim", make: async () => ({ assertion: await sign({ sub: undefined }) }) },
    { name: "expired", reason: "token_expired", make: async () => ({ assertion: await sign({ iat: now() - 600, exp: now() - 60 }) }) },
    { name: "nbf in the future", reason: "token_not_yet_valid", make: async () => ({ assertion: await sign({ nbf: now() + 120 }) }) },
    { name: "iat in the future", reason: "iat_in_future", make: async () => ({ assertion: await sign({ iat: now() + 120, exp: now() + 400 }) }) },
    { name: "lifetime over the issuer maximum", reason: "lifetime_exceeded", make: async () => ({ assertion: await sign({ iat: now(), exp: now() + 7200 }) }) },
    { name: "wrong audience", reason: "audience_mismatch", make: async () => ({ assertion: await sign({ aud: "sts.amazonaws.com" }) }) },
    { name: "subject from a pull request", reason: "match_subject_prefix", make: async () => ({ assertion: await sign({ sub: "repo:acme/app:pull_request" }) }) },
    { name: "claim mismatch", reason: "match_claims", make: async () => ({ assertion: await sign({ repository_owner_id: "43" }), rule: ids.claimsRule }) },
    { name: "condition false", reason: "match_condition", make: async () => ({ assertion: await sign({ ref_protected: "false" }), rule: ids.conditionRule }) },
    { name: "archived service account", reason: "service_account_archived", make: async () => ({ assertion: await sign({}), rule: ids.archivedSaRule }) },
    { name: "other service_account_id", reason: "service_account_mismatch", make: async () => ({ assertion: await sign({}), extra: { service_account_id: ids.adminSa } }) },
    { name: "service account demoted below org:admin", reason: "scope_not_allowed", make: async () => ({ assertion: await sign({}), rule: ids.demotedRule }) },
    { name: "rule on two workspaces without workspace_id", reason: "workspace_id_required", make: async () => ({ assertion: await sign({}), rule: ids.twoWorkspaces }) },
    { name: "workspace that does not exist", reason: "workspace_not_found", make: async () => ({ assertion: await sign({}), extra: { workspace_id: "wrkspc_01NOPE" } }) },
    { name: "workspace the rule does not cover", reason: "workspace_not_allowed", workspace: () => ids.ws2!, make: async () => ({ assertion: await sign({}), extra: { workspace_id: ids.ws2 } }) },
    { name: "service account not a member of the workspace", reason: "service_account_not_in_workspace", workspace: () => ids.ws2!, make: async () => ({ assertion: await sign({}), rule: ids.notMember }) },
    { name: "keys behind a refused address", reason: "jwks_unavailable", make: async () => ({ assertion: await sign({}), rule: ids.remoteRule }) },
  ];

  it.each(cases)("denies: $name → $reason", async ({ reason, status = 401, workspace, make }) => {
    const { assertion, extra, rule } = await make();
    const { res, body, requestId } = await exchange(assertion, extra, rule);
    expect(res.status).toBe(status);
    expect(requestId).toMatch(/^req_/);
    if (status === 401) expect(body).toEqual({ type: "error", error: { type: "authentication_error", message: "Authentication failed" } });
    else expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const event = await historyFor(requestId);
    expect(event).toMatchObject({ outcome: "denied", reason, workspace_id: workspace?.() ?? null });
    expect(event!.detail).toBeTruthy();
  });

  it("refuses a replayed jti, and the first use still stands", async () => {
    const assertion = await sign({});
    expect((await exchange(assertion)).res.status).toBe(200);
    const replay = await exchange(assertion);
    expect(replay.res.status).toBe(401);
    expect(await historyFor(replay.requestId)).toMatchObject({ reason: "jti_reused" });
  });

  it("does not consume the jti of a denied exchange", async () => {
    const assertion = await sign({});
    expect((await exchange(assertion, { workspace_id: ids.ws2 })).res.status).toBe(401);
    expect((await exchange(assertion)).res.status).toBe(200);
  });

  it("resolves the workspace: named, default, and the rule's sole workspace", async () => {
    expect((await exchange(await sign({}), { workspace_id: ids.ws1 }, ids.twoWorkspaces)).res.status).toBe(200);
    const sole = await exchange(await sign({}), {}, ids.rule);
    const event = await historyFor(sole.requestId);
    const defaultWs = await server.runtime.store.db.selectFrom("workspaces").select("id").where("is_default", "=", 1).executeTakeFirstOrThrow();
    expect(event!.workspace_id).toBe(defaultWs.id);
    expect((await exchange(await sign({}), { workspace_id: "default" })).res.status).toBe(200);
  });

  it("refuses oversized bodies before parsing", async () => {
    const res = await fetch(`${server.url}/v1/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("request_too_large");
  });

  it("refuses an oversized body sent in chunks, without a content-length", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/v1/oauth/token`, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      for (let i = 0; i < 70; i++) req.write("x".repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("answers with the platform's headers: request-id, no-store, nosniff, JSON", async () => {
    const { res, requestId } = await exchange(await sign({}));
    expect(res.status).toBe(200);
    expect(requestId).toMatch(/^req_/);
    expect(Object.fromEntries(["content-type", "cache-control", "pragma", "x-content-type-options"].map((h) => [h, res.headers.get(h)]))).toEqual({
      "content-type": "application/json",
      "cache-control": "no-store",
      pragma: "no-cache",
      "x-content-type-options": "nosniff",
    });
    const denied = await exchange(await sign({ aud: "elsewhere" }));
    expect(denied.res.headers.get("x-should-retry")).toBe("false");
  });

  it("leaves other methods on the token path to the API's 404", async () => {
    const res = await fetch(`${server.url}/v1/oauth/token`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ type: "error", error: { type: "not_found_error", message: "No route for GET /v1/oauth/token" } });
  });

  it("answers a body that is neither JSON nor a form with 400", async () => {
    const res = await fetch(`${server.url}/v1/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
  });

  it("lets a minted token call the API within its scope, and no further", async () => {
    const dev = (await exchange(await sign({}))).body.access_token as string;
    const me = await fetch(`${server.url}/v1/organizations/me`, { headers: { authorization: `Bearer ${dev}` } });
    expect(me.status).toBe(200);
    const forbidden = await fetch(`${server.url}/v1/organizations/federation_rules`, { headers: { authorization: `Bearer ${dev}` } });
    expect(forbidden.status).toBe(403);

    const adminToken = (await exchange(await sign({ sub: "repo:acme/admin:ref:refs/heads/main" }), {}, ids.adminRule)).body.access_token as string;
    const rules = await fetch(`${server.url}/v1/organizations/federation_rules`, { headers: { "x-api-key": adminToken } });
    expect(rules.status).toBe(200);
  });
});

describe.each(DATABASE_KINDS)("token endpoint failures (%s)", (kind) => {
  it("answers an internal failure with a generic 500 in the envelope, naming the request", async () => {
    const server = await startTestServer(kind);
    try {
      await server.runtime.store.close(); // every query now fails
      const res = await fetch(`${server.url}/v1/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: GRANT, assertion: "a.b.c", federation_rule_id: "fdrl_01X", organization_id: server.organizationId }),
      });
      expect(res.status).toBe(500);
      const requestId = res.headers.get("request-id")!;
      expect(await res.json()).toEqual({ type: "error", error: { type: "api_error", message: `Internal server error (request-id ${requestId})` } });
      expect(res.headers.get("x-should-retry")).toBe("true");
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});

/** Through the Admin API: an issuer with `jwks`, a service account, and a rule admitting SUBJECT on them. The rule's ID. */
async function ruleAdmittingSubject(server: TestServer, jwks: unknown): Promise<string> {
  const issuer = await server.admin("POST", "/federation_issuers", { name: "i", issuer_url: ISSUER, jwks });
  const sa = await server.admin("POST", "/service_accounts", { name: "s" });
  const rule = await server.admin("POST", "/federation_rules", ruleInput("r", issuer.id, sa.id, SUBJECT, { oauth_scope: "workspace:inference" }));
  return rule.id;
}

/** A token-endpoint request body exchanging a fresh ES256 assertion for ISSUER / SUBJECT / AUD. */
async function es256Exchange(privateKey: CryptoKey, kid: string, jti: string, ruleId: string, organizationId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ iss: ISSUER, sub: SUBJECT, aud: AUD, iat: now, exp: now + 300, jti }).setProtectedHeader({ alg: "ES256", kid }).sign(privateKey);
  return JSON.stringify({ grant_type: GRANT, assertion, federation_rule_id: ruleId, organization_id: organizationId });
}

describe.each(DATABASE_KINDS)("single-use jti across a restart (%s)", (kind) => {
  it("refuses the replay after the server restarts on the same database", async () => {
    const first = await startTestServer(kind);
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "e1", alg: "ES256" };
    const ruleId = await ruleAdmittingSubject(first, { type: "inline", keys: [jwk] });
    const body = await es256Exchange(privateKey, "e1", "once", ruleId, first.organizationId);
    const call = (url: string) => fetch(`${url}/v1/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body });

    expect((await call(first.url)).status).toBe(200);
    await first.stop();
    const second = await startServerOn(first.databaseUrl);
    try {
      expect((await call(second.url)).status).toBe(401);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});

describe.each(DATABASE_KINDS)("shutting down (%s)", (kind) => {
  it("answers and records an exchange that was under way when the server began to close (the drain waits for it)", async () => {
    // An issuer whose JWKS endpoint answers only when told to: the exchange waits on it.
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "slow", alg: "ES256" };
    let asked!: () => void;
    const keysRequested = new Promise<void>((resolve) => (asked = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const jwksServer = http.createServer((_req, res) => {
      asked();
      void answered.then(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;

    const server = await startTestServer(kind, { WIF_ALLOW_INSECURE_ISSUERS: "1" });
    try {
      const ruleId = await ruleAdmittingSubject(server, { type: "explicit_url", url: jwksUrl });
      const reply = fetch(`${server.url}/v1/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: await es256Exchange(privateKey, "slow", "in-flight", ruleId, server.organizationId),
      });

      await keysRequested; // the exchange is under way, waiting for the keys
      const stopped = server.stop(); // draining from here: no new connections, in-flight ones finish
      answer(); // the keys arrive while the server drains
      expect((await reply).status).toBe(200);
      await stopped;

      const reopened = await startServerOn(server.databaseUrl);
      try {
        const events = await reopened.runtime.store.db.selectFrom("auth_events").select(["outcome", "reason"]).where("federation_rule_id", "=", ruleId).execute();
        expect(events).toEqual([{ outcome: "granted", reason: null }]);
        const tokens = await reopened.runtime.store.db.selectFrom("access_tokens").select("id").where("federation_rule_id", "=", ruleId).execute();
        expect(tokens).toHaveLength(1);
      } finally {
        await reopened.close();
      }
    } finally {
      answer();
      jwksServer.close();
      await server.close().catch(() => undefined);
    }
  });
});
