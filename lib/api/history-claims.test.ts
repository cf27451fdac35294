/**
 * Hostile claims and damaged rows in the authentication history, on SQLite and PostgreSQL. One
 * row per kind of hostile token, each sent through the real token endpoint; then the entry is
 * read back every way the history is read — the Admin API's list, detail and both exports, and
 * the service the console's History pages call — and must be whole, capped and marked. Rows
 * already damaged in the database (as an older version wrote them) must show as unreadable
 * without failing the list, the export or the page.
 */
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../core/ids";
import type { AdminContext } from "../services/context";
import { getAuthEvent, listAuditEvents, listAuthEvents, type AuthEventDto } from "../services/history";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";

const ISSUER = "https://issuer.claims.test";
const AUD = "https://api.anthropic.com";
const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const PREFIX = "repo:acme/";
const SUBJECT = `${PREFIX}app:ref:refs/heads/main`;
/** What a cut string may add to the characters it keeps. */
const MARKER_ROOM = 40;

/** `{a: {a: … value}}`, `levels` objects deep. */
const nested = (levels: number, value: unknown): unknown => (levels === 0 ? value : { a: nested(levels - 1, value) });

/** Every string in a JSON value (keys included). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

interface Page<T> {
  data: T[];
  has_more: boolean;
}

describe.each(DATABASE_KINDS)("hostile claims in the history (%s)", (kind) => {
  let server: TestServer;
  let key: { privateKey: CryptoKey; jwk: JWK };
  let strangerKey: CryptoKey;
  let ruleId: string;
  /** What the console's History pages are given: a signed-in viewer's context. */
  let viewer: AdminContext;

  const get = async (path: string, query: Record<string, string> = {}) => {
    const qs = new URLSearchParams(query).toString();
    const res = await fetch(`${server.url}/v1/organizations${path}${qs ? `?${qs}` : ""}`, { headers: { authorization: `Bearer ${server.adminKey}` } });
    return { status: res.status, text: await res.text() };
  };

  const sign = (claims: Record<string, unknown>, signingKey: CryptoKey = key.privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISSUER, sub: SUBJECT, aud: AUD, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(signingKey);
  };

  /** A correctly signed JWT whose payload is `bytes`, whatever they are. */
  const signBytes = (bytes: Uint8Array) => new CompactSign(bytes).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(key.privateKey);

  const exchange = async (assertion: string) => {
    const res = await fetch(`${server.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: GRANT, assertion, federation_rule_id: ruleId, organization_id: server.organizationId }),
    });
    await res.arrayBuffer();
    return { status: res.status, requestId: res.headers.get("request-id")! };
  };

  /**
   * The entry for `requestId` read every way the history is read; all must agree and succeed,
   * and the whole list and export must still answer.
   */
  async function readEverywhere(requestId: string): Promise<AuthEventDto> {
    const listed = await get("/federation_auth_events", { request_id: requestId });
    expect(listed.status, listed.text).toBe(200);
    const [event] = (JSON.parse(listed.text) as Page<AuthEventDto>).data;
    expect(event?.request_id).toBe(requestId);

    const detail = await get(`/federation_auth_events/${event!.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(JSON.parse(detail.text)).toEqual(event);

    const ndjson = await get("/federation_auth_events", { format: "ndjson", request_id: requestId });
    expect(ndjson.status, ndjson.text).toBe(200);
    expect(ndjson.text.trim().split("\n").map((line) => JSON.parse(line) as unknown)).toEqual([event]);
    const csv = await get("/federation_auth_events", { format: "csv", request_id: requestId });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text).toContain(`"${requestId}"`);

    expect((await listAuthEvents(viewer, { request_id: requestId })).data).toEqual([event]);
    expect(await getAuthEvent(viewer, event!.id)).toEqual(event);

    // The rest of the history is unharmed.
    for (const format of ["json", "ndjson", "csv"]) {
      const all = await get("/federation_auth_events", { format, limit: "1000" });
      expect(all.status, `${format}: ${all.text.slice(0, 300)}`).toBe(200);
    }
    return event!;
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    const pair = await generateKeyPair("RS256", { extractable: true });
    key = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" } };
    strangerKey = (await generateKeyPair("RS256")).privateKey;
    const issuer = await server.admin("POST", "/federation_issuers", { name: "claims-issuer", issuer_url: ISSUER, jwks: { type: "inline", keys: [key.jwk] } });
    const sa = await server.admin("POST", "/service_accounts", { name: "ci" });
    ruleId = (
      await server.admin("POST", "/federation_rules", {
        name: "acme",
        issuer_id: issuer.id,
        match: { subject_prefix: `${PREFIX}*` },
        target: { type: "service_account", service_account_id: sa.id },
        oauth_scope: "workspace:developer",
        workspace_id: "default",
      })
    ).id;
    viewer = {
      db: server.runtime.store.db,
      principal: { kind: "user", id: "usr_viewer", organizationId: server.organizationId, role: "viewer", label: "viewer@test" },
      requestId: null,
      config: server.runtime.config,
    };
  });
  afterAll(async () => server?.close());

  const longSub = `${PREFIX}${"x".repeat(9000)}`;
  const binary = `${PREFIX}bin\u0000\u0001\u001b[31m\u007f\u0080\u00ff\ud800\u200b\ufeffend`;
  type Case = {
    name: string;
    assertion: () => Promise<string>;
    status: 200 | 401;
    reason: string | null;
    /** What the entry must show of the claims. */
    check: (e: AuthEventDto) => void;
  };
  const cases: Case[] = [
    {
      name: "sub of 9,000 characters from a stranger (the reported request)",
      assertion: () => sign({ sub: longSub }, strangerKey),
      status: 401,
      reason: "signature_invalid",
      check: (e) => {
        expect(e.claims_verified).toBe(false);
        expect(e.claims!.sub).toBe(`${longSub.slice(0, 1024)}…[cut ${longSub.length - 1024} characters]`);
        expect(e.claims!._truncated).toEqual(["sub"]);
        expect(e.claims).toMatchObject({ iss: ISSUER, aud: AUD });
        expect(e.subject).toBe(longSub.slice(0, 1024));
      },
    },
    {
      name: "sub of 9,000 characters, granted",
      assertion: () => sign({ sub: longSub }),
      status: 200,
      reason: null,
      check: (e) => {
        expect(e.claims_verified).toBe(true);
        expect(e.claims!._truncated).toEqual(["sub"]);
        expect(e.subject).toBe(longSub.slice(0, 1024));
      },
    },
    {
      name: "one claim of 10,000 characters",
      assertion: () => sign({ blob: "b".repeat(10_000), short: "kept" }),
      status: 200,
      reason: null,
      check: (e) => {
        expect(e.claims!.blob).toMatch(/^b{1024}…\[cut 8976 characters\]$/);
        expect(e.claims).toMatchObject({ sub: SUBJECT, short: "kept", _truncated: ["blob"] });
      },
    },
    {
      name: "300 claims",
      assertion: () => sign(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`c${String(i).padStart(3, "0")}`, "v"]))),
      status: 200,
      reason: null,
      check: (e) => {
        // The registered claims first, then the others up to 100 members in all.
        expect(Object.keys(e.claims!)).toHaveLength(101);
        expect(e.claims).toMatchObject({ iss: ISSUER, sub: SUBJECT, c000: "v", c093: "v" });
        expect(e.claims!.c094).toBeUndefined();
        const cut = e.claims!._truncated as string[];
        expect(cut.slice(0, 2)).toEqual(["c094", "c095"]);
        expect(cut).toHaveLength(51);
        expect(cut.at(-1)).toBe("…and 156 more");
      },
    },
    {
      name: "array of 2,000 items",
      assertion: () => sign({ groups: Array.from({ length: 2000 }, () => "g") }),
      status: 200,
      reason: null,
      check: (e) => {
        expect(e.claims!.groups).toHaveLength(100);
        expect(e.claims!._truncated).toEqual(["groups[100:]"]);
      },
    },
    {
      name: "claim nested 30 levels deep",
      assertion: () => sign({ deep: nested(30, "bottom") }),
      status: 200,
      reason: null,
      check: (e) => {
        // Eight levels below the claims object are kept; the ninth is a marker.
        expect(e.claims!.deep).toEqual(nested(8, "[cut: nested deeper than 8 levels]"));
        expect(e.claims!._truncated).toEqual([`deep${".a".repeat(8)}`]);
      },
    },
    {
      name: "claim name of 5,000 characters",
      assertion: () => sign({ ["k".repeat(5000)]: "value" }),
      status: 200,
      reason: null,
      check: (e) => {
        const name = `${"k".repeat(256)}…`;
        expect(e.claims![name]).toBe("value");
        expect(e.claims!._truncated).toEqual([`[${JSON.stringify(name)}]`]);
      },
    },
    {
      name: "binary: NUL, control characters, a lone surrogate and 1,500 NULs (escaped 6× in JSON)",
      assertion: () => sign({ sub: binary, raw: "\u0000".repeat(1500) }),
      status: 200,
      reason: null,
      check: (e) => {
        expect(e.claims!.sub).toBe(binary);
        expect(e.claims!.raw).toBe(`${"\u0000".repeat(1024)}…[cut 476 characters]`);
        expect(e.claims!._truncated).toEqual(["raw"]);
        // PostgreSQL's text refuses NUL, and a lone surrogate has no UTF-8 form: the subject column shows both as U+FFFD.
        expect(e.subject).toBe(binary.replaceAll("\u0000", "\uFFFD").replace("\ud800", "\uFFFD"));
      },
    },
    {
      name: "a claim named _truncated, posing as the history's marker",
      assertion: () => sign({ _truncated: ["nothing", "to see"] }),
      status: 200,
      reason: null,
      check: (e) => expect(e.claims!._truncated).toEqual(["_truncated"]),
    },
    {
      name: "payload that is not UTF-8, correctly signed",
      assertion: () => signBytes(new Uint8Array([...Buffer.from('{"sub":"repo:acme/'), 0xff, 0xfe, 0xc3, 0x28, ...Buffer.from('"}')])),
      status: 401,
      reason: "malformed_jwt",
      check: (e) => expect(e.claims).toBeNull(),
    },
    {
      name: "payload nested beyond the parser's 32 levels",
      assertion: () => sign({ deep: nested(40, 1) }),
      status: 401,
      reason: "malformed_jwt",
      check: (e) => expect(e.claims).toBeNull(),
    },
  ];

  it.each(cases)("$name: recorded whole, readable everywhere", async ({ assertion, status, reason, check }) => {
    const sent = await exchange(await assertion());
    expect(sent.status).toBe(status);
    const event = await readEverywhere(sent.requestId);
    expect(event).toMatchObject({ outcome: status === 200 ? "granted" : "denied", reason, claims_unreadable: false });
    for (const s of strings(event.claims)) expect(s.length).toBeLessThanOrEqual(1024 + MARKER_ROOM);
    check(event);
  });

  describe("rows damaged before this version", () => {
    const damaged = [
      { name: "claims cut mid-string (what the old cap wrote)", claims: JSON.stringify({ _truncated: true, sub: longSub }).slice(0, 8192) },
      { name: "claims that are an array", claims: "[1,2,3]" },
      { name: "claims that are a bare string", claims: '"sub"' },
      { name: "claims that are empty", claims: "" },
    ];
    const inserted: Record<string, string> = {};

    beforeAll(async () => {
      for (const row of damaged) {
        const id = newId("authEvent");
        inserted[row.name] = id;
        await server.runtime.store.db
          .insertInto("auth_events")
          .values({
            id,
            organization_id: server.organizationId,
            occurred_at: new Date().toISOString(),
            request_id: newId("request"),
            outcome: "denied",
            reason: "signature_invalid",
            detail: "inserted by the test",
            federation_rule_id: ruleId,
            issuer_id: null,
            service_account_id: null,
            workspace_id: null,
            subject: longSub.slice(0, 1024),
            claims: row.claims,
            claims_verified: 0,
            access_token_id: null,
            client_ip: null,
          })
          .execute();
      }
    });

    it.each(damaged)("$name: shown as unreadable, the entry and the rest of the history intact", async ({ name }) => {
      const detail = await get(`/federation_auth_events/${inserted[name]}`);
      expect(detail.status, detail.text).toBe(200);
      const event = JSON.parse(detail.text) as AuthEventDto;
      expect(event).toMatchObject({ id: inserted[name], reason: "signature_invalid", claims: null, claims_unreadable: true, subject: longSub.slice(0, 1024) });
      expect(await readEverywhere(event.request_id)).toEqual(event);

      const list = await get("/federation_auth_events", { limit: "1000" });
      const all = (JSON.parse(list.text) as Page<AuthEventDto>).data;
      expect(all.filter((e) => e.claims_unreadable).map((e) => e.id).sort()).toEqual(Object.values(inserted).sort());
      const ndjson = await get("/federation_auth_events", { format: "ndjson" });
      expect(ndjson.text.trim().split("\n")).toHaveLength(all.length);
      const csv = await get("/federation_auth_events", { format: "csv" });
      expect(csv.text.trim().split("\r\n")).toHaveLength(all.length + 1);
      expect((await listAuthEvents(viewer, { limit: "1000" })).data).toEqual(all);
    });

    it("shows a damaged audit entry's detail as such, in the configuration changes", async () => {
      const id = newId("auditEvent");
      await server.runtime.store.db
        .insertInto("audit_events")
        .values({ id, organization_id: server.organizationId, occurred_at: new Date().toISOString(), request_id: null, actor_type: "system", actor_id: null, actor_label: null, action: "federation_rule.updated", target_type: null, target_id: null, outcome: "success", status_code: null, detail: '{"changed":{"match":' })
        .execute();
      const listed = await get("/audit_events", { limit: "1000" });
      expect(listed.status, listed.text).toBe(200);
      const page = await listAuditEvents(viewer, { limit: "1000", changes_only: "true" });
      expect(page.data.find((e) => e.id === id)?.detail).toEqual({ unreadable: "the recorded detail is damaged" });
    });
  });
});
