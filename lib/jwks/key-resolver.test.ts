/**
 * Issuer key sources against a real local JWKS server (development setting on, so loopback
 * http is reachable), counting the server's hits: inline keys, explicit URLs, discovery with
 * its issuer check, rotation with a rate-limited refetch on an unknown kid (injected clock),
 * and concurrent misses sharing one fetch.
 */
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { compactVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExchangeDenied } from "../core/deny-reasons";
import { IssuerKeySource, KeySourceRegistry, type IssuerKeyConfig } from "./key-resolver";

const COOLDOWN_MS = 30_000;

const pair = (kid: string) => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { kid, privateKey, jwk: { ...(publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid, alg: "ES256", use: "sig" } };
};
const k1 = pair("k1");
const k2 = pair("k2");
const k3 = pair("k3");

/** One tenant on the local server: its discovery document and key set, and hit counters. */
interface Tenant {
  keys: Array<Record<string, unknown>>;
  /** Overrides the discovery document's issuer (for mismatch tests). */
  discoveryIssuer?: string;
  jwksUri?: string;
  status: number;
  /** While set, key-set requests wait for it (to hold concurrent callers in one fetch). */
  gate?: Promise<void>;
  hits: { discovery: number; jwks: number };
}

const tenants = new Map<string, Tenant>();
let server: http.Server;
let base = "";

const issuerUrl = (name: string) => `${base}/t/${name}`;

function tenant(name: string, init: Partial<Tenant> = {}): Tenant {
  const t: Tenant = { keys: [k1.jwk], status: 200, hits: { discovery: 0, jwks: 0 }, ...init };
  tenants.set(name, t);
  return t;
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const m = /^\/t\/([^/]+)\/(\.well-known\/openid-configuration|jwks)$/.exec(req.url ?? "");
    const t = m && tenants.get(m[1]!);
    if (!t) {
      res.writeHead(404);
      return res.end();
    }
    res.setHeader("content-type", "application/json");
    if (m[2] === "jwks") {
      t.hits.jwks++;
      if (t.gate) await t.gate;
      res.writeHead(t.status);
      return res.end(JSON.stringify({ keys: t.keys }));
    }
    t.hits.discovery++;
    res.end(JSON.stringify({ issuer: t.discoveryIssuer ?? issuerUrl(m[1]!), jwks_uri: t.jwksUri ?? `${issuerUrl(m[1]!)}/jwks` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A key source with a hand-driven clock (milliseconds). */
function source(config: IssuerKeyConfig) {
  const clock = { now: 1_000_000 };
  const keys = new IssuerKeySource(config, { allowInsecureLocal: true, cooldownMs: COOLDOWN_MS, clock: () => clock.now });
  return { keys, clock };
}

const discovery = (name: string): IssuerKeyConfig => ({ id: `fdis_${name}`, issuer_url: issuerUrl(name), jwks: { type: "discovery" } });
const explicit = (name: string): IssuerKeyConfig => ({ id: `fdis_${name}`, issuer_url: `https://${name}.example.com`, jwks: { type: "explicit_url", url: `${issuerUrl(name)}/jwks` } });

/** The deny reason `getKey` gives, or "ok" once the key verifies a token signed by `signer`. */
async function lookUp(keys: IssuerKeySource, signer: ReturnType<typeof pair>): Promise<string> {
  try {
    const key = await keys.getKey(signer.kid, "ES256");
    const jwt = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "ES256", kid: signer.kid }).sign(signer.privateKey);
    await compactVerify(jwt, key);
    return "ok";
  } catch (err) {
    return err instanceof ExchangeDenied ? err.reason : `threw ${(err as Error).message}`;
  }
}

describe("IssuerKeySource", () => {
  it("serves inline keys without fetching, and refuses a kid the set lacks", async () => {
    const { keys } = source({ id: "fdis_inline", issuer_url: "https://inline.example.com", jwks: { type: "inline", keys: [k1.jwk] } });
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(await lookUp(keys, k2)).toBe("unknown_kid");
    expect(await keys.refresh()).toEqual({ ok: true, keyCount: 1 });
    expect(keys.hasFetched).toBe(true);
  });

  it("fetches an explicit JWKS URL once, then serves from the cache", async () => {
    const t = tenant("explicit");
    const { keys } = source(explicit("explicit"));
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(t.hits).toEqual({ discovery: 0, jwks: 1 });
  });

  it("discovers the key set through the issuer's discovery document", async () => {
    const t = tenant("disc");
    const { keys } = source(discovery("disc"));
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(t.hits).toEqual({ discovery: 1, jwks: 1 });
  });

  it("uses discovery_base for the document but still demands the configured issuer in it", async () => {
    const t = tenant("based", { discoveryIssuer: "https://based.example.com" });
    const { keys } = source({ id: "fdis_based", issuer_url: "https://based.example.com", jwks: { type: "discovery", discovery_base: `${issuerUrl("based")}/` } });
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(t.hits).toEqual({ discovery: 1, jwks: 1 });
  });

  it.each([
    ["a trailing slash", (u: string) => `${u}/`],
    ["another case", (u: string) => u.replace("/t/", "/T/")],
    ["another issuer altogether", () => "https://token.actions.githubusercontent.com"],
  ])("refuses a discovery document whose issuer differs by %s, without fetching its keys", async (_label, issuerIn) => {
    const name = `mismatch-${tenants.size}`;
    const t = tenant(name, { discoveryIssuer: issuerIn(issuerUrl(name)) });
    const { keys } = source(discovery(name));
    expect(await lookUp(keys, k1)).toBe("jwks_unavailable");
    expect(t.hits).toEqual({ discovery: 1, jwks: 0 });
  });

  it("puts the discovered jwks_uri through the same guard (metadata address refused)", async () => {
    tenant("evil-uri", { jwksUri: "http://169.254.169.254/latest/meta-data/keys" });
    const { keys } = source(discovery("evil-uri"));
    expect(await lookUp(keys, k1)).toBe("jwks_unavailable");
    expect(await keys.refresh()).toMatchObject({ ok: false, message: expect.stringContaining("169.254.169.254") });
  });

  it("refetches once for a new kid after rotation; a second unknown kid inside the cooldown does not refetch; after it, it does", async () => {
    const t = tenant("rotate");
    const { keys, clock } = source(explicit("rotate"));
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(t.hits.jwks).toBe(1);

    // The issuer rotates k1 out and k2 in; the first k2 token comes after the cooldown.
    t.keys = [k2.jwk];
    clock.now += COOLDOWN_MS;
    expect(await lookUp(keys, k2)).toBe("ok");
    expect(t.hits.jwks).toBe(2);
    // The old key stops working once the set without it is fetched.
    expect(await lookUp(keys, k1)).toBe("unknown_kid");
    expect(t.hits.jwks).toBe(2);

    // Another unknown kid inside the cooldown: refused from the cache, no fetch.
    t.keys = [k2.jwk, k3.jwk];
    clock.now += COOLDOWN_MS - 1;
    expect(await lookUp(keys, k3)).toBe("unknown_kid");
    expect(t.hits.jwks).toBe(2);

    // Once the cooldown has passed, it fetches again and finds it.
    clock.now += 1;
    expect(await lookUp(keys, k3)).toBe("ok");
    expect(t.hits.jwks).toBe(3);
    // Known kids never cause a fetch, cooldown or not.
    clock.now += 10 * COOLDOWN_MS;
    expect(await lookUp(keys, k2)).toBe("ok");
    expect(t.hits.jwks).toBe(3);
  });

  it("rate-limits an unknown kid right after the first fetch (a flood of made-up kids costs one fetch)", async () => {
    const t = tenant("flood");
    const { keys } = source(explicit("flood"));
    expect(await lookUp(keys, k1)).toBe("ok");
    for (let i = 0; i < 20; i++) expect(await keys.getKey(`made-up-${i}`, "ES256").catch((e: ExchangeDenied) => e.reason)).toBe("unknown_kid");
    expect(t.hits.jwks).toBe(1);
  });

  it("shares one in-flight fetch between concurrent lookups", async () => {
    let release!: () => void;
    const t = tenant("concurrent", { keys: [k1.jwk, k2.jwk], gate: new Promise<void>((resolve) => (release = resolve)) });
    const { keys } = source(explicit("concurrent"));
    const lookups = [k1, k2, k1, k2, k1].map((k) => lookUp(keys, k));
    release();
    expect(await Promise.all(lookups)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(t.hits.jwks).toBe(1);
  });

  it("after a failed background refresh, a lookup within the cooldown says what failed", async () => {
    tenant("polled", { status: 503 });
    const { keys } = source(explicit("polled"));
    expect(await keys.refresh()).toMatchObject({ ok: false });
    const refusal = await keys.getKey(k1.kid, "ES256").catch((err: ExchangeDenied) => err);
    expect(refusal).toMatchObject({ reason: "jwks_unavailable", detail: expect.stringMatching(/fetching the key set .*polled.*503/) });
    expect((refusal as ExchangeDenied).detail).not.toContain("not fetched yet");
  });

  it("rate-limits failed fetches too, and keeps serving the last good key set when a refetch fails", async () => {
    const t = tenant("flaky", { status: 500 });
    const { keys, clock } = source(explicit("flaky"));
    expect(await lookUp(keys, k1)).toBe("jwks_unavailable");
    expect(await lookUp(keys, k1)).toBe("jwks_unavailable");
    expect(t.hits.jwks).toBe(1);

    clock.now += COOLDOWN_MS;
    t.status = 200;
    expect(await lookUp(keys, k1)).toBe("ok");
    expect(t.hits.jwks).toBe(2);

    t.status = 500;
    clock.now += COOLDOWN_MS;
    expect(await lookUp(keys, k2)).toBe("unknown_kid");
    expect(t.hits.jwks).toBe(3);
    expect(await lookUp(keys, k1)).toBe("ok");
  });

  it("refuses unusable keys from a fetched set by kid, and still serves the good ones", async () => {
    const rsaSmall = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" }) as Record<string, unknown>;
    const priv = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }) as Record<string, unknown>;
    tenant("mixed", { keys: [k1.jwk, { ...rsaSmall, kid: "small" }, { ...priv, kid: "private" }, { kty: "oct", kid: "hmac", k: "c2VjcmV0" }] });
    const { keys } = source(explicit("mixed"));
    expect(await lookUp(keys, k1)).toBe("ok");
    for (const [kid, alg] of [["small", "RS256"], ["private", "ES256"], ["hmac", "ES256"], ["hmac", "RS256"]] as const) {
      await expect(keys.getKey(kid, alg)).rejects.toMatchObject({ reason: "signature_invalid" });
    }
    expect(keys.describeKeys().map((k) => [k.kid, k.problem])).toEqual([
      ["k1", null],
      ["small", "RSA key of 1024 bits; at least 2048 are required"],
      ["private", "contains private key material"],
      ["hmac", "kty oct cannot verify RS/PS/ES tokens"],
    ]);
  });

  it("reports a refresh's outcome for the poller", async () => {
    const t = tenant("refresh", { keys: [k1.jwk, k2.jwk] });
    const { keys } = source(explicit("refresh"));
    expect(await keys.refresh()).toEqual({ ok: true, keyCount: 2 });
    t.status = 503;
    expect(await keys.refresh()).toMatchObject({ ok: false, message: expect.stringContaining("503") });
  });

  it("refuses plain http and loopback with the development setting off, without a request", async () => {
    const t = tenant("prod");
    const keys = new IssuerKeySource(explicit("prod"), { allowInsecureLocal: false });
    await expect(keys.getKey("k1", "ES256")).rejects.toMatchObject({ reason: "jwks_unavailable" });
    expect(t.hits.jwks).toBe(0);
  });
});

describe("KeySourceRegistry", () => {
  it("keeps one source per issuer (so the refetch cooldown holds across requests) and rebuilds it when its keys change", () => {
    const registry = new KeySourceRegistry({ allowInsecureLocal: true });
    const a = explicit("reg-a");
    const first = registry.get(a);
    expect(registry.get({ ...a })).toBe(first);
    expect(registry.get(explicit("reg-b"))).not.toBe(first);
    const moved = registry.get({ ...a, jwks: { type: "explicit_url", url: `${issuerUrl("reg-a")}/v2/jwks` } });
    expect(moved).not.toBe(first);
    expect(registry.get({ ...a, issuer_url: "https://other.example.com" })).not.toBe(moved);
  });
});
