import { describe, expect, it } from "vitest";
import { clientIp, isSameOriginRequest, safeReturnPath } from "./request";
import { hashSessionId, isHttpsRequest, isSessionIdShape, newSessionId, SESSION_TTL_MS, sessionCookieOptions } from "./session";

const headers = (h: Record<string, string>) => new Headers(h);

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Strict, Path=/ and expires with the session", () => {
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    expect(sessionCookieOptions({ secure: false, expiresAt })).toEqual({ httpOnly: true, sameSite: "strict", path: "/", secure: false, expires: expiresAt });
    expect(sessionCookieOptions({ secure: true, expiresAt }).secure).toBe(true);
    expect(SESSION_TTL_MS).toBe(12 * 60 * 60 * 1000);
  });

  it("is Secure when the browser used https (proxy header or URL)", () => {
    expect(isHttpsRequest(headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttpsRequest(headers({ "x-forwarded-proto": "https,http" }))).toBe(true);
    expect(isHttpsRequest(headers({ "x-forwarded-proto": "http" }), "https://console.example.com/")).toBe(false);
    expect(isHttpsRequest(headers({}), "https://console.example.com/")).toBe(true);
    expect(isHttpsRequest(headers({}), "http://localhost:3000/")).toBe(false);
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
  it("accepts an Origin naming the Host, or the forwarded host, or the public URL", () => {
    expect(isSameOriginRequest(headers({ origin: "http://localhost:3000", host: "localhost:3000" }))).toBe(true);
    expect(isSameOriginRequest(headers({ origin: "https://wif.example.com", host: "10.0.0.5:3000", "x-forwarded-host": "wif.example.com" }))).toBe(true);
    expect(isSameOriginRequest(headers({ origin: "https://wif.example.com", host: "10.0.0.5:3000" }), "https://wif.example.com")).toBe(true);
  });

  it("refuses a missing, opaque or foreign Origin", () => {
    expect(isSameOriginRequest(headers({ host: "localhost:3000" }))).toBe(false);
    expect(isSameOriginRequest(headers({ origin: "null", host: "localhost:3000" }))).toBe(false);
    expect(isSameOriginRequest(headers({ origin: "https://evil.example", host: "localhost:3000" }))).toBe(false);
    expect(isSameOriginRequest(headers({ origin: "http://localhost:3001", host: "localhost:3000" }))).toBe(false);
    expect(isSameOriginRequest(headers({ origin: "not a url", host: "localhost:3000" }))).toBe(false);
  });
});

describe("request helpers", () => {
  it("takes the right-most forwarded address", () => {
    expect(clientIp(headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }))).toBe("10.0.0.1");
    expect(clientIp(headers({ "x-forwarded-for": "::1" }))).toBe("::1");
    expect(clientIp(headers({}))).toBe("unknown");
  });

  it("only returns to same-site paths after sign-in", () => {
    expect(safeReturnPath("/rules/fdrl_1?x=1")).toBe("/rules/fdrl_1?x=1");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "rules", "/login", 42, undefined]) expect(safeReturnPath(bad)).toBe("/");
  });
});
