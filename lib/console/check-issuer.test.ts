import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssuer } from "@/lib/services/issuers";
import { ensureOrganization } from "@/lib/services/organization";
import { parseConfig, type Config } from "@/lib/config";
import type { ConsoleContext } from "@/lib/console/auth";
import { ApiError } from "@/lib/core/errors";
import { createTestDatabase } from "@/e2e/support/test-server";
import { openStore, type Store } from "@/lib/store/db";
import { checkIssuerKeys } from "./check-issuer";

/** A tiny OIDC provider on 127.0.0.1: discovery, keys, and a few misbehaving paths. */
let provider: http.Server;
let base = "";
let rsaKey: Record<string, unknown>;
let store: Store;
let drop: () => Promise<void>;
let userCount = 0;

beforeAll(async () => {
  const { publicKey } = await generateKeyPair("RS256", { extractable: true });
  rsaKey = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  provider = http.createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    const url = req.url ?? "";
    if (url === "/good/.well-known/openid-configuration") return json({ issuer: `${base}/good`, jwks_uri: `${base}/keys` });
    if (url === "/slash/.well-known/openid-configuration") return json({ issuer: `${base}/slash/`, jwks_uri: `${base}/keys` });
    if (url === "/redirect/.well-known/openid-configuration") return res.writeHead(302, { location: `${base}/good/.well-known/openid-configuration` }).end();
    if (url === "/html/.well-known/openid-configuration") return res.writeHead(200, { "content-type": "text/html" }).end("<html>");
    if (url === "/keys") return json({ keys: [rsaKey] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const database = await createTestDatabase("sqlite");
  drop = database.drop;
  store = await openStore(parseConfig({ DATABASE_URL: database.url }).database);
});

afterAll(async () => {
  await new Promise((resolve) => provider.close(resolve));
  await store.close();
  await drop();
});

/** A console context for a fresh user (the limiter counts per user). */
async function context(allowInsecureIssuers: boolean): Promise<{ ctx: ConsoleContext; runtime: { config: Config } }> {
  const org = await ensureOrganization(store.db);
  const config = { ...parseConfig({ DATABASE_URL: "file:unused.db" }), allowInsecureIssuers };
  const user = { id: `user_${++userCount}`, organizationId: org.id, email: "a@example.com", name: "A", role: "admin" as const };
  return { ctx: { db: store.db, principal: { kind: "user", id: user.id, organizationId: org.id, role: "admin", label: user.email }, requestId: null, config, user }, runtime: { config } };
}

const discovery = (issuer_url: string) => ({ mode: "new", issuer_url, jwks: { type: "discovery" } });

describe("checkIssuerKeys", () => {
  it("fetches discovery, then the key set, and describes each key", async () => {
    const { ctx, runtime } = await context(true);
    const result = await checkIssuerKeys(ctx, runtime, discovery(`${base}/good`));
    expect(result).toEqual({ ok: true, jwksUri: `${base}/keys`, keys: [expect.objectContaining({ kid: "k1", kty: "RSA", alg: "RS256", bits: 2048, problem: null })] });
  });

  it("checks a registered issuer by its ID", async () => {
    const { ctx, runtime } = await context(true);
    const issuer = await createIssuer(ctx, { name: "local-good", issuer_url: `${base}/good` });
    const result = await checkIssuerKeys(ctx, runtime, { mode: "existing", id: issuer.id });
    expect(result.ok && result.keys.map((k) => k.kid)).toEqual(["k1"]);
  });

  it("describes pasted keys without fetching anything", async () => {
    const { ctx, runtime } = await context(false);
    const result = await checkIssuerKeys(ctx, runtime, { mode: "new", issuer_url: "https://unreachable.invalid", jwks: { type: "inline", keys: [rsaKey] } });
    expect(result.ok && result.keys[0]).toMatchObject({ kid: "k1", bits: 2048 });
  });

  it("names a discovery document whose issuer differs by a trailing slash", async () => {
    const { ctx, runtime } = await context(true);
    const result = await checkIssuerKeys(ctx, runtime, discovery(`${base}/slash`));
    expect(result).toEqual({ ok: false, message: expect.stringContaining(`issuer "${base}/slash/" differs from the configured "${base}/slash"`) });
  });

  // One case per way the check could leak what is behind a URL: all answer the same sentence.
  it.each([
    ["a loopback address without the development setting", false, () => `${base}/good`, "http: URLs are not fetched"],
    ["a private address", false, () => "https://10.0.0.1/good", null],
    ["cloud metadata (link-local), even with the development setting", true, () => "https://169.254.169.254/latest", null],
    ["a closed port", true, () => "http://127.0.0.1:1/x", null],
    ["a 404", true, () => `${base}/missing`, null],
    ["a redirect", true, () => `${base}/redirect`, null],
    ["a non-JSON answer", true, () => `${base}/html`, null],
  ])("refuses %s", async (_name, insecure, url, specific) => {
    const { ctx, runtime } = await context(insecure);
    const result = await checkIssuerKeys(ctx, runtime, discovery(url()));
    expect(result.ok).toBe(false);
    const message = (result as { message: string }).message;
    if (specific) expect(message).toContain(specific);
    else expect(message).toMatch(/^The issuer's keys could not be fetched\./);
  });

  it("network failures of different kinds read the same", async () => {
    const { ctx, runtime } = await context(true);
    const messages = new Set<string>();
    for (const url of ["https://169.254.169.254/latest", "http://127.0.0.1:1/x", `${base}/missing`, `${base}/redirect`, `${base}/html`]) messages.add((await checkIssuerKeys(ctx, runtime, discovery(url)) as { message: string }).message);
    expect(messages.size).toBe(1);
  });

  it("is rate-limited per user: the eleventh check in a minute is refused with 429", async () => {
    const { ctx, runtime } = await context(true);
    for (let i = 0; i < 10; i++) await checkIssuerKeys(ctx, runtime, discovery(`${base}/missing`));
    const err = await checkIssuerKeys(ctx, runtime, discovery(`${base}/good`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    // Another user is not affected.
    const other = await context(true);
    expect((await checkIssuerKeys(other.ctx, other.runtime, discovery(`${base}/good`))).ok).toBe(true);
  });

  it("refuses malformed input with the field named", async () => {
    const { ctx, runtime } = await context(true);
    await expect(checkIssuerKeys(ctx, runtime, { mode: "new", issuer_url: "ftp://x", jwks: { type: "discovery" } })).rejects.toMatchObject({ status: 400, field: "issuer_url" });
  });
});
