/**
 * Key fetches behind an outbound proxy: a real HTTP proxy process (the `proxy` package) on
 * loopback records every CONNECT. A token exchange whose keys are fetched through it works;
 * NO_PROXY sends a host direct; and the SSRF guard still refuses a forbidden target — before
 * the proxy is ever asked. The proxy settings come from lib/config.ts alone.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type dns from "node:dns";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { createProxy } from "proxy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { startTestServer } from "../../e2e/support/test-server";
import { ruleInput } from "../../e2e/support/rule-input";
import { FetchRefused, safeFetchJson } from "./safe-fetch";

let proxy: http.Server;
let proxyUrl: string;
/** `host:port` of every CONNECT the proxy received. */
const connects: string[] = [];
let keys: http.Server;
let keysPort: number;
let signingKey: CryptoKey;
let jwk: JWK;

const listen = (server: http.Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  signingKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "proxied", alg: "ES256" };
  keys = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
  keysPort = await listen(keys);
  proxy = createProxy(http.createServer());
  proxy.on("connect", (req: http.IncomingMessage) => connects.push(req.url ?? ""));
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  keys?.closeAllConnections();
  await new Promise((r) => keys?.close(r));
});
beforeEach(() => {
  connects.length = 0;
});

describe("outbound proxy settings (lib/config.ts)", () => {
  const cases: Array<{ env: Record<string, string>; expected: unknown }> = [
    { env: {}, expected: undefined },
    { env: { HTTPS_PROXY: "" }, expected: undefined },
    { env: { HTTPS_PROXY: "http://proxy.internal:3128" }, expected: { httpsProxy: "http://proxy.internal:3128", httpProxy: undefined, noProxy: "" } },
    { env: { HTTPS_PROXY: "http://upper:3128", https_proxy: "http://lower:3128", NO_PROXY: "idp.internal" }, expected: { httpsProxy: "http://lower:3128", httpProxy: undefined, noProxy: "idp.internal" } },
    { env: { HTTP_PROXY: "http://plain:3128", no_proxy: "a, b" }, expected: { httpsProxy: undefined, httpProxy: "http://plain:3128", noProxy: "a, b" } },
  ];
  it.each(cases)("$env", ({ env, expected }) => {
    expect(parseConfig(env).outboundProxy).toEqual(expected);
  });
  it("refuses a proxy that is not a URL, naming the variable", () => {
    expect(() => parseConfig({ HTTPS_PROXY: "proxy.internal:3128" })).toThrow(/HTTPS_PROXY: must be a proxy URL/);
  });
});

describe("key fetches through the proxy", () => {
  it("a token exchange fetches the issuer's keys through HTTPS_PROXY/HTTP_PROXY", async () => {
    const server = await startTestServer("sqlite", { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, WIF_ALLOW_INSECURE_ISSUERS: "1" });
    try {
      const issuerUrl = "https://ci.proxy.test";
      const issuer = await server.admin("POST", "/federation_issuers", { name: "proxied", issuer_url: issuerUrl, jwks: { type: "explicit_url", url: `http://127.0.0.1:${keysPort}/jwks.json` } });
      const sa = await server.admin("POST", "/service_accounts", { name: "proxied" });
      const rule = await server.admin("POST", "/federation_rules", ruleInput("proxied", issuer.id, sa.id, "repo:acme/app:ref:refs/heads/main"));
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ iss: issuerUrl, sub: "repo:acme/app:ref:refs/heads/main", aud: "https://api.anthropic.com", iat: now, exp: now + 300, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: "ES256", kid: "proxied" })
        .sign(signingKey);
      const res = await fetch(`${server.url}/v1/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: rule.id, organization_id: server.organizationId }),
      });
      expect(res.status).toBe(200);
      expect(connects).toContain(`127.0.0.1:${keysPort}`);
    } finally {
      await server.close();
    }
  });

  /** Names resolve here as the test says; the proxy itself only ever sees loopback addresses. */
  const lookup = ((hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => {
    const table: Record<string, string> = { "localhost": "127.0.0.1", "metadata.proxy.test": "169.254.169.254", "internal.proxy.test": "10.1.2.3" };
    const address = table[hostname];
    if (!address) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(null, [{ address, family: 4 }]);
  }) as unknown as typeof dns.lookup;

  const fetches: Array<{ name: string; url: () => string; noProxy?: string; allowInsecureLocal?: boolean; proxied: boolean; refused?: string }> = [
    { name: "goes through the proxy (CONNECT)", url: () => `http://127.0.0.1:${keysPort}/jwks.json`, proxied: true },
    { name: "NO_PROXY sends the host direct", url: () => `http://localhost:${keysPort}/jwks.json`, noProxy: "localhost", proxied: false },
    { name: "NO_PROXY by domain suffix", url: () => `http://localhost:${keysPort}/jwks.json`, noProxy: "example.com, .localhost, localhost", proxied: false },
    { name: "SSRF: a metadata address is refused before the proxy", url: () => "http://169.254.169.254/latest/meta-data", proxied: false, refused: "address_not_allowed" },
    { name: "SSRF: a name resolving to metadata is refused before the proxy", url: () => "https://metadata.proxy.test/jwks.json", proxied: false, refused: "address_not_allowed" },
    { name: "SSRF: a name resolving to a private address is refused without the development setting", url: () => "https://internal.proxy.test/jwks.json", allowInsecureLocal: false, proxied: false, refused: "address_not_allowed" },
    { name: "SSRF: a NO_PROXY host is still checked as it connects", url: () => "https://metadata.proxy.test/jwks.json", noProxy: "metadata.proxy.test", proxied: false, refused: "address_not_allowed" },
  ];

  it.each(fetches)("$name", async ({ url, noProxy = "", allowInsecureLocal = true, proxied, refused }) => {
    const options = { allowInsecureLocal, lookup, proxy: { httpsProxy: proxyUrl, httpProxy: proxyUrl, noProxy } };
    if (refused) {
      const err = await safeFetchJson(url(), options).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(FetchRefused);
      expect((err as FetchRefused).code).toBe(refused);
    } else {
      expect(await safeFetchJson(url(), options)).toEqual({ keys: [jwk] });
    }
    expect(connects.length > 0).toBe(proxied);
  });
});
