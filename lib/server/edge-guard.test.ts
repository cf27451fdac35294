/**
 * The edge's refusals, one row per malformed request, as pure decisions on a request head.
 * The same cases against the running server — Next included — are in e2e/edge.spec.ts.
 */
import { describe, expect, it } from "vitest";
import { ACTION_MAX_NESTING, isServerActionRequest, nestsDeeperThan, refuseMalformedConsoleRequest, refuseMalformedRequest, type RequestHead } from "./edge-guard";

const HOST = "console.example.com";
const head = (method: string, url: string, headers: Record<string, string> = {}): RequestHead => ({ method, url, headers: { host: HOST, ...headers } });
const sameOrigin = { origin: `https://${HOST}` };
const validTree = encodeURIComponent('["",{"children":["__PAGE__",{}]},null,null]');

describe("refuseMalformedRequest", () => {
  it.each<[label: string, req: RequestHead, status: number]>([
    ["TRACE", head("TRACE", "/"), 405],
    ["TRACK", head("TRACK", "/login"), 405],
    ["CONNECT", head("CONNECT", "localhost:443"), 405],
    ["TRACE on the API", head("TRACE", "/v1/oauth/token"), 405],
    ["asterisk-form GET *", head("GET", "*"), 400],
    ["asterisk-form OPTIONS *", head("OPTIONS", "*"), 400],
    ["authority-form target", head("GET", "localhost:80"), 400],
    ["an empty target", head("GET", ""), 400],
    ["a bare query", head("GET", "?a=1"), 400],
    ["a lone %", head("GET", "/rules/%"), 400],
    ["%ZZ", head("GET", "/rules/%ZZ/edit"), 400],
    ["a truncated UTF-8 sequence", head("GET", "/rules/%E0%A4%A"), 400],
    ["an overlong UTF-8 slash", head("GET", "/issuers/%C0%AF"), 400],
    ["a UTF-16 surrogate in UTF-8", head("GET", "/%ED%A0%80"), 400],
    ["a bad escape on the API", head("GET", "/v1/organizations/%ZZ"), 400],
    ["a bad escape in an absolute-form target", head("GET", "http://x/%ZZ"), 400],
  ])("refuses %s", (_label, req, status) => {
    expect(refuseMalformedRequest(req)?.status).toBe(status);
  });

  it.each<[label: string, req: RequestHead]>([
    ["a page", head("GET", "/rules/rule_1")],
    ["an encoded slash and a valid escape", head("GET", "/rules/a%2Fb%C3%A9")],
    ["a bad escape in the query only (parsers there are lenient)", head("GET", "/login?next=%ZZ")],
    ["an absolute-form target", head("GET", "http://console.example.com/login")],
    ["the token endpoint", head("POST", "/v1/oauth/token")],
    ["OPTIONS on a path", head("OPTIONS", "/v1/organizations/me")],
  ])("passes %s", (_label, req) => {
    expect(refuseMalformedRequest(req)).toBeUndefined();
  });
});

describe("refuseMalformedConsoleRequest", () => {
  it.each<[label: string, req: RequestHead, status: number]>([
    ["a cross-site server action", head("POST", "/issuers", { "next-action": "40aa", origin: "https://evil.example" }), 403],
    ["a cross-site multipart form post", head("POST", "/issuers", { "content-type": "multipart/form-data; boundary=x", origin: "https://evil.example" }), 403],
    ["a server action from an opaque origin", head("POST", "/login", { "next-action": "40aa", origin: "null" }), 403],
    ["a server action without Origin", head("POST", "/login", { "next-action": "40aa" }), 403],
    ["a cross-site PUT", head("PUT", "/rules", { origin: "https://evil.example" }), 403],
    ["a router-state tree that is not JSON", head("GET", "/rules", { rsc: "1", "next-router-state-tree": "garbage" }), 400],
    ["a router-state tree with a bad escape", head("GET", "/rules", { rsc: "1", "next-router-state-tree": "%ZZ" }), 400],
    ["a router-state tree of the wrong shape", head("GET", "/rules", { rsc: "1", "next-router-state-tree": encodeURIComponent('["",{"children":["rules",{}]},null,null,true]') }), 400],
    ["two router-state trees (joined by Node)", head("GET", "/rules", { rsc: "1", "next-router-state-tree": `${validTree}, ${validTree}` }), 400],
    ["a router-state tree over Next's 40 kB", head("GET", "/rules", { rsc: "1", "next-router-state-tree": "a".repeat(40_001) }), 400],
    ["a server action declaring more than 1 MiB", head("POST", "/issuers", { ...sameOrigin, "next-action": "40aa", "content-length": String(1024 * 1024 + 1) }), 413],
  ])("refuses %s", (_label, req, status) => {
    expect(refuseMalformedConsoleRequest(req, { trustedProxies: [] })?.status).toBe(status);
  });

  it.each<[label: string, req: RequestHead, publicUrl?: string]>([
    ["a same-origin server action", head("POST", "/issuers", { ...sameOrigin, "next-action": "40aa", "content-length": "100" })],
    ["a server action from the configured public URL", head("POST", "/issuers", { origin: "https://wif.example.org", "next-action": "40aa" }), "https://wif.example.org"],
    ["a page load with no Origin", head("GET", "/rules")],
    ["a valid router-state tree", head("GET", "/rules", { rsc: "1", "next-router-state-tree": validTree })],
    ["a server action of exactly 1 MiB", head("POST", "/issuers", { ...sameOrigin, "next-action": "40aa", "content-length": String(1024 * 1024) })],
  ])("passes %s", (_label, req, publicUrl) => {
    expect(refuseMalformedConsoleRequest(req, { publicUrl, trustedProxies: [] })).toBeUndefined();
  });
});

describe("isServerActionRequest", () => {
  it.each<[label: string, req: RequestHead, expected: boolean]>([
    ["a fetch action", head("POST", "/", { "next-action": "40aa" }), true],
    ["a multipart form post", head("POST", "/", { "content-type": "Multipart/Form-Data; boundary=x" }), true],
    ["a urlencoded post", head("POST", "/", { "content-type": "application/x-www-form-urlencoded" }), false],
    ["a GET with the header", head("GET", "/", { "next-action": "40aa" }), false],
  ])("%s: %s", (_label, req, expected) => {
    expect(isServerActionRequest(req)).toBe(expected);
  });
});

describe("nestsDeeperThan", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  it.each<[label: string, body: string, expected: boolean]>([
    ["arrays at the limit", deep(ACTION_MAX_NESTING), false],
    ["arrays one past the limit", deep(ACTION_MAX_NESTING + 1), true],
    ["objects past the limit", '{"a":'.repeat(ACTION_MAX_NESTING + 1) + "1" + "}".repeat(ACTION_MAX_NESTING + 1), true],
    ["brackets inside a string", `["${"[".repeat(1000)}"]`, false],
    ["an escaped quote does not end the string", `["\\"${"[".repeat(1000)}"]`, false],
    ["closing brackets never go below zero", "]".repeat(100) + deep(ACTION_MAX_NESTING), false],
    ["many siblings, shallow", "[" + "[],".repeat(10_000) + "[]]", false],
    ["a multipart body with a deep field", `--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n${deep(ACTION_MAX_NESTING + 1)}\r\n--x--\r\n`, true],
    ["an odd quote in one part does not hide the next part", `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nit"s\r\n--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n${deep(ACTION_MAX_NESTING + 1)}\r\n--x--\r\n`, true],
  ])("%s", (_label, body, expected) => {
    expect(nestsDeeperThan(Buffer.from(body), ACTION_MAX_NESTING)).toBe(expected);
  });
});
