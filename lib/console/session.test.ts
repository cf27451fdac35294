import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { PEER_ADDRESS_HEADER } from "../services/forwarded";
import { isSameOriginRequest, requestClient, safeReturnPath } from "./request";
import { hashSessionId, isSessionIdShape, newSessionId, SESSION_TTL_MS, sessionCookieOptions } from "./session";

const headers = (h: Record<string, string>) => new Headers(h);
/** A request as serve.ts hands it to Next: from `peer` (the default is a direct client). */
const fromPeer = (h: Record<string, string>, peer = "198.51.100.20") => headers({ [PEER_ADDRESS_HEADER]: peer, ...h });
const trustedProxies = parseConfig({ WIF_TRUSTED_PROXIES: "10.0.0.0/8" }).trustedProxies;
const PROXY = "10.0.0.7";

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Strict, Path=/ and expires with the session", () => {
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    expect(sessionCookieOptions({ secure: false, expiresAt })).toEqual({ httpOnly: true, sameSite: "strict", path: "/", secure: false, expires: expiresAt });
    expect(sessionCookieOptions({ secure: true, expiresAt }).secure).toBe(true);
    expect(SESSION_TTL_MS).toBe(12 * 60 * 60 * 1000);
  });

  it("is Secure when the browser used https, as a trusted proxy says", () => {
    expect(requestClient(fromPeer({ "x-forwarded-proto": "https" }, PROXY), trustedProxies).https).toBe(true);
    expect(requestClient(fromPeer({ "x-forwarded-proto": "http, https" }, PROXY), trustedProxies).https).toBe(true);
    expect(requestClient(fromPeer({ "x-forwarded-proto": "http" }, PROXY), trustedProxies).https).toBe(false);
    expect(requestClient(fromPeer({}, PROXY), trustedProxies).https).toBe(false);
    // Anyone else's X-Forwarded-Proto is ignored: our own listener speaks plain http.
    expect(requestClient(fromPeer({ "x-forwarded-proto": "https" }), trustedProxies).https).toBe(false);
    expect(requestClient(headers({ "x-forwarded-proto": "https" }), trustedProxies).https).toBe(false);
  });

  it("uses 256-bit random IDs and stores only their SHA-256", () => {
    const id = newSessionId();
    expect(isSessionIdShape(id)).toBe(true);
    expect(Buffer.from(id, "base64url")).toHaveLength(32);
    expect(newSessionId()).not.toBe(id);
    expect(hashSessionId(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionId(id)).not.toContain(id);
    expect(isSessionIdShape("../../etc")).toBe(false);
    expect(isSessionIdShape(undefined)).toBe(false);
  });
});

describe("same-origin check for server actions", () => {
  const sameOrigin = (h: Headers, publicUrl?: string) => isSameOriginRequest(h, { publicUrl, trustedProxies });

  it("accepts an Origin naming the Host, a trusted proxy's forwarded host, or the public URL", () => {
    expect(sameOrigin(fromPeer({ origin: "http://localhost:3000", host: "localhost:3000" }))).toBe(true);
    expect(sameOrigin(fromPeer({ origin: "https://wif.example.com", host: "10.0.0.5:3000", "x-forwarded-host": "wif.example.com" }, PROXY))).toBe(true);
    expect(sameOrigin(fromPeer({ origin: "https://wif.example.com", host: "10.0.0.5:3000" }), "https://wif.example.com")).toBe(true);
  });

  it("refuses a missing, opaque or foreign Origin", () => {
    expect(sameOrigin(fromPeer({ host: "localhost:3000" }))).toBe(false);
    expect(sameOrigin(fromPeer({ origin: "null", host: "localhost:3000" }))).toBe(false);
    expect(sameOrigin(fromPeer({ origin: "https://evil.example", host: "localhost:3000" }))).toBe(false);
    expect(sameOrigin(fromPeer({ origin: "http://localhost:3001", host: "localhost:3000" }))).toBe(false);
    expect(sameOrigin(fromPeer({ origin: "not a url", host: "localhost:3000" }))).toBe(false);
  });

  it("ignores X-Forwarded-Host from anyone but a trusted proxy", () => {
    expect(sameOrigin(fromPeer({ origin: "https://evil.example", host: "localhost:3000", "x-forwarded-host": "evil.example" }))).toBe(false);
    expect(sameOrigin(headers({ origin: "https://evil.example", host: "localhost:3000", "x-forwarded-host": "evil.example" }))).toBe(false);
    // A trusted proxy's forwarded host replaces Host: the internal name no longer matches.
    expect(sameOrigin(fromPeer({ origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000", "x-forwarded-host": "wif.example.com" }, PROXY))).toBe(false);
  });
});

describe("request helpers", () => {
  it("only returns to same-site paths after sign-in", () => {
    expect(safeReturnPath("/rules/fdrl_1?x=1")).toBe("/rules/fdrl_1?x=1");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "rules", "/login", 42, undefined]) expect(safeReturnPath(bad)).toBe("/");
  });
});
