/**
 * A seeded fuzzer for the HTTP edge: generates hostile requests (undecodable paths, odd
 * methods and request targets, garbled headers, router-state trees, server-action bodies,
 * token-endpoint and Admin API bodies), sends each as raw bytes on its own connection — so
 * nothing a client library would refuse or normalise is lost — and tallies the answers.
 * The rule it checks: malformed input gets a 4xx (or a 2xx/3xx), never a 5xx, never a
 * dropped connection. Used by lib/server/fuzz.test.ts (API layer), e2e/edge.spec.ts (the
 * built console) and `npm run fuzz` (both, at volume).
 *
 * Every generated string comes from the pools below: URLs point at loopback or refused
 * addresses only, so no request can make the server contact another machine, and no body
 * has the shape of a sign-in (`email` + `password`), so the sign-in rate limit is untouched.
 * One file though over 400 lines: the generators share their pools and are read as one table.
 */
import { createHash } from "node:crypto";
import net from "node:net";

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same requests. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    hex: (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join(""),
  };
}
type Random = ReturnType<typeof createRandom>;

/** Where and as whom the fuzzer sends. */
export interface FuzzTarget {
  host: string;
  port: number;
  /** The console is served (Next): page paths, router-state trees and server actions reach it. */
  console: boolean;
  /** Real server-action IDs (from `.next/server/server-reference-manifest.json`); made-up ones are added. */
  actionIds: string[];
  /** A live console session ID; without one a well-formed made-up ID is sent (it gets past the proxy's cookie check). */
  sessionId?: string;
  /** An Admin API key; without one the Admin API requests are refused 401 early. */
  adminKey?: string;
}

interface RawRequest {
  family: Family;
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
  /** `length` (Content-Length, the default), `chunked`, or `raw` (the headers say what they say). */
  framing?: "length" | "chunked" | "raw";
}

const FAMILIES = ["path", "method", "target", "headers", "router-state", "action", "token", "admin"] as const;
export type Family = (typeof FAMILIES)[number];

// ---------------------------------------------------------------------------------------------
// Pools

const CONSOLE_PAGES = [
  "/",
  "/login",
  "/setup",
  "/connect",
  "/connect/done",
  "/issuers",
  "/issuers/new",
  "/issuers/issuer_x",
  "/issuers/issuer_x/edit",
  "/rules",
  "/rules/new",
  "/rules/rule_x",
  "/rules/rule_x/edit",
  "/service-accounts",
  "/service-accounts/svac_x",
  "/service-accounts/new",
  "/workspaces",
  "/workspaces/wrkspc_x",
  "/history",
  "/history/event_x",
  "/history/export",
  "/history/audit",
  "/history/events",
  "/tester",
  "/users",
  "/api-keys",
  "/admin-keys",
  "/denied",
  "/icon.svg",
  "/_next/image",
  "/_next/static/chunks/x.js",
  "/_next/data/x.json",
  "/favicon.ico",
];
const API_PATHS = [
  "/healthz",
  "/v1/oauth/token",
  "/v1/organizations/me",
  "/v1/organizations/workspaces",
  "/v1/organizations/service_accounts",
  "/v1/organizations/federation_issuers",
  "/v1/organizations/federation_rules",
  "/v1/organizations/federation_auth_events",
  "/v1/organizations/audit_events",
  "/v1/organizations/api_keys",
  "/.well-known/openid-configuration",
  "/demo-issuer/.well-known/openid-configuration",
  "/demo-issuer/jwks",
  "/v1/unknown",
];
const ADMIN_ROUTES: Array<[method: string, path: string]> = [
  ["GET", "/me"],
  ["GET", "/workspaces"],
  ["POST", "/workspaces"],
  ["GET", "/workspaces/{id}"],
  ["POST", "/workspaces/{id}"],
  ["POST", "/workspaces/{id}/archive"],
  ["GET", "/workspaces/{id}/service_accounts"],
  ["POST", "/workspaces/{id}/service_accounts"],
  ["POST", "/workspaces/{id}/service_accounts/{id}"],
  ["DELETE", "/workspaces/{id}/service_accounts/{id}"],
  ["GET", "/service_accounts"],
  ["POST", "/service_accounts"],
  ["POST", "/service_accounts/{id}"],
  ["POST", "/service_accounts/{id}/archive"],
  ["POST", "/service_accounts/{id}/workspaces"],
  ["DELETE", "/service_accounts/{id}/workspaces/{id}"],
  ["GET", "/federation_issuers"],
  ["POST", "/federation_issuers"],
  ["GET", "/federation_issuers/{id}"],
  ["POST", "/federation_issuers/{id}"],
  ["POST", "/federation_issuers/{id}/archive"],
  ["GET", "/federation_rules"],
  ["POST", "/federation_rules"],
  ["POST", "/federation_rules/{id}"],
  ["POST", "/federation_rules/{id}/workspaces"],
  ["GET", "/federation_auth_events"],
  ["GET", "/federation_auth_events/{id}"],
  ["GET", "/audit_events"],
  ["GET", "/api_keys"],
  ["POST", "/api_keys"],
  ["POST", "/api_keys/{id}"],
];
const IDS = ["wrkspc_01", "svac_01", "fdis_01", "fdrl_01", "x", "", "%ZZ", "..%2F..", "a".repeat(300), "'; DROP TABLE users --", "%00", "__proto__", "😀"];
const BAD_ESCAPES = ["%", "%Z", "%ZZ", "%E0%A4%A", "%C0%AF", "%ED%A0%80", "%FF", "%00", "%%", "%u0041", "%F0%9F%98", "%2", "%G1", "%C3%28"];
const STRINGS = [
  "",
  "a",
  "null",
  "true",
  "0",
  "-1",
  "1e309",
  "NaN",
  "__proto__",
  "constructor",
  "prototype",
  "💥",
  "\u0000",
  "\u202e",
  "a".repeat(5000),
  "../../etc/passwd",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "https://127.0.0.1/",
  "https://169.254.169.254/latest/meta-data/",
  "https://[fd00:ec2::254]/",
  "https://168.63.129.16/",
  "https://localhost/",
  "http://[::1]:1/",
  "http://127.0.0.1:1/jwks",
  "repo:org/app:ref:refs/heads/main",
  "eyJhbGciOiJub25lIn0.e30.",
  "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovLzEyNy4wLjAuMS8ifQ.c2ln",
  "workspace:developer",
  "${{ github.ref }}",
];
// React's reply encoding marks references with a leading `$`; these make the decoder chase
// parts, promises, form data, server references and typed arrays that are not there.
const REACT_REFS = ["$", "$$", "$@1", "$@99", "$Q1", "$W1", "$K1", "$F1", "$h1", "$T", "$Q", "$n123", "$D2020-01-01", "$S", "$i1", "$B1", "$R1", "$r1", "$X1", "$0", "$1:a:b", "$undefined", "$Infinity", "$-0", "$AT1", "$l1"];
// Member names with no sign-in shape among them (no email + password pair).
const KEYS = ["a", "id", "name", "issuer_url", "jwks", "type", "keys", "url", "match", "subject_prefix", "claims", "after_id", "include_archived", "role", "code", "token", "rule_id", "scope", "__proto__", "constructor", "then", "$$typeof", "0", ""];
const COOKIES = [
  "wif_session=",
  "wif_session=%ZZ",
  "wif_session=" + "A".repeat(43),
  "wif_session=" + "x".repeat(8000),
  "wif_session=a; wif_session=b",
  "=; ;; =a",
  "a=\u00ff\u00fe",
  "%ZZ=%E0%A4%A",
  Array.from({ length: 200 }, (_, i) => `c${i}=${i}`).join("; "),
  "__Host-x=1; __Secure-y=2",
  "wif_session=\"quoted\"",
];

// ---------------------------------------------------------------------------------------------
// Generators

function randomString(r: Random): string {
  if (r.chance(0.2)) return r.pick(REACT_REFS);
  return r.pick(STRINGS);
}

/** A random JSON value; with small probability, nesting deep enough to hurt a recursive decoder. */
function randomJson(r: Random, depth = 0): unknown {
  if (depth === 0 && r.chance(0.08)) return deepNest(r, r.pick([64, 1000, 20_000, 200_000]));
  if (depth > 4) return randomString(r);
  switch (r.int(7)) {
    case 0:
      return randomString(r);
    case 1:
      return r.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, 176401, 3600]);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--) obj[r.pick(KEYS)] = randomJson(r, depth + 1);
      return obj;
    }
  }
}

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` levels. */
function deepNest(r: Random, depth: number): unknown {
  return { __raw: r.chance(0.5) ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth) };
}

/** JSON text of a value from randomJson (deep nests are spliced in raw; JSON.stringify would recurse). */
function toJson(value: unknown): string {
  if (value && typeof value === "object" && "__raw" in value) return (value as { __raw: string }).__raw;
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === "object" && "__raw" in v ? null : v)) ?? "null";
}

function mutatePath(r: Random, path: string): string {
  switch (r.int(9)) {
    case 0:
      return path + r.pick(BAD_ESCAPES);
    case 1:
      return `${path}/${r.pick(BAD_ESCAPES)}${r.pick(BAD_ESCAPES)}`;
    case 2:
      return path.replace(/\/[^/]*$/, `/${r.pick(BAD_ESCAPES)}`);
    case 3:
      return `${path}?${r.pick(["next=%ZZ", "_rsc=%ZZ", "a=%E0%A4%A", "after_id=%00", "limit=-1", "limit=1e9", "url=%2Ficon.svg&w=64&q=75", "url=http://127.0.0.1:1/&w=1&q=1", "__proto__[x]=1", "a[]=1&a[]=2"])}`;
    case 4:
      return path + "/" + "a".repeat(r.pick([256, 4000]));
    case 5:
      return path.replace(/\//g, r.pick(["//", "/./", "/../", "\\", "%2F", "%2f%2e%2e"]));
    case 6:
      return path + r.pick(["%2e%2e%2f", "%00.js", "%0d%0aX-Injected:%201", ";jsessionid=1", "#frag", "\u00e9", "%C3%A9"]);
    case 7:
      return `${path}/${encodeURIComponent(randomString(r)).slice(0, 200)}`;
    default:
      return path;
  }
}

const allPaths = (t: FuzzTarget) => (t.console ? [...CONSOLE_PAGES, ...API_PATHS] : API_PATHS);

function sessionCookie(r: Random, t: FuzzTarget): string {
  if (r.chance(0.3)) return r.pick(COOKIES);
  return `wif_session=${t.sessionId ?? "A".repeat(43)}`;
}

function baseHeaders(t: FuzzTarget): Array<[string, string]> {
  return [["host", `${t.host}:${t.port}`]];
}

/** The `_rsc` cache-busting value Next 16 expects for a router-state header; any other answers 307. */
export function rscSearchParam(stateTree: string): string {
  return createHash("sha256").update(`0,0,${stateTree},0`).digest().subarray(0, 12).toString("base64url");
}

const ROUTER_STATES = [
  "garbage",
  "%ZZ",
  "%E0%A4%A",
  "[",
  "[[[[",
  "{}",
  "null",
  "[]",
  '["",{}]',
  '["",{"children":["__PAGE__",{}]}]',
  '["",{"children":["rules",{"children":["__PAGE__",{}]}]},null,null,true]',
  encodeURIComponent('["",{"children":["rules",{}]}]'),
  "%5B%22%22%2C%7B%7D%2C1%2C2%2C3%2C4%2C5%2C6%5D",
];

function routerState(r: Random): string {
  if (r.chance(0.1)) return "[".repeat(r.pick([100, 5000])) + "]".repeat(r.pick([0, 100]));
  if (r.chance(0.05)) return "a".repeat(41_000);
  // Past 16 KiB Node itself answers 431; past a few hundred KiB it may reset the connection
  // before the client reads that answer, which would read as a dropped request.
  if (r.chance(0.1)) return encodeURIComponent(toJson(randomJson(r))).slice(0, 60_000);
  return r.pick(ROUTER_STATES);
}

function multipartBody(r: Random, t: FuzzTarget, boundary: string): Buffer {
  const parts: string[] = [];
  for (let i = r.int(4); i >= 0; i--) {
    const name = r.pick(["0", "1", "0", `$ACTION_ID_${actionId(r, t)}`, "$ACTION_REF_1", "1_$ACTION_ID_" + actionId(r, t), "1_$ACTION_KEY", "$ACTION_1:0", "x", "", 'a"b']);
    const value = r.chance(0.7) ? toJson(randomJson(r)) : randomString(r);
    const disposition = r.chance(0.9) ? `form-data; name="${name}"` : r.pick(["form-data", "attachment; filename=x", "form-data; name=", "form-data; name=\"0\"; filename=\"../../x\""]);
    parts.push(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${r.chance(0.1) ? "Content-Type: application/octet-stream\r\n" : ""}\r\n${value}\r\n`);
  }
  let text = parts.join("") + (r.chance(0.85) ? `--${boundary}--\r\n` : "");
  if (r.chance(0.1)) text = text.slice(0, r.int(text.length + 1)); // truncated
  return Buffer.from(text);
}

function actionId(r: Random, t: FuzzTarget): string {
  if (t.actionIds.length > 0 && r.chance(0.7)) return r.pick(t.actionIds);
  return r.pick([r.hex(42), "00" + r.hex(40), "abc", "", "x".repeat(200), "%ZZ", r.hex(40)]);
}

function actionRequest(r: Random, t: FuzzTarget): RawRequest {
  const headers = baseHeaders(t);
  const fetchAction = r.chance(0.8);
  if (fetchAction) headers.push(["next-action", actionId(r, t)]);
  if (r.chance(0.2)) headers.push(["next-router-state-tree", encodeURIComponent('["",{"children":["__PAGE__",{}]}]')]);
  headers.push(["accept", "text/x-component"]);
  const origin = r.pick([`http://${t.host}:${t.port}`, `http://${t.host}:${t.port}`, `http://${t.host}:${t.port}`, "https://evil.example", "null", "http://[", "", undefined]);
  if (origin !== undefined) headers.push(["origin", origin]);
  if (r.chance(0.8)) headers.push(["cookie", sessionCookie(r, t)]);
  let body: Buffer;
  const kind = r.int(10);
  if (kind < 4) {
    headers.push(["content-type", r.pick(["text/plain;charset=UTF-8", "text/plain", "text/x-component", "application/json"])]);
    const args = r.chance(0.3) ? r.pick(REACT_REFS) : randomJson(r);
    body = Buffer.from(r.chance(0.8) ? `[${toJson(args)}]` : toJson(args));
  } else if (kind < 8) {
    const boundary = r.pick(["----fuzz", "x", "a".repeat(70), "=?", ""]);
    headers.push(["content-type", r.pick([`multipart/form-data; boundary=${boundary}`, `multipart/form-data; boundary="${boundary}"`, "multipart/form-data", `multipart/form-data; boundary=${boundary}; charset=x-unknown`])]);
    body = multipartBody(r, t, boundary);
  } else if (kind < 9) {
    headers.push(["content-type", "application/x-www-form-urlencoded"]);
    body = Buffer.from(r.pick(["a=%ZZ", "$ACTION_ID_x=1", "0=%5B%5D", "&&&==", "a=" + "b".repeat(3000)]));
  } else {
    headers.push(["content-type", r.pick(["text/plain", "multipart/form-data; boundary=x", "application/octet-stream"])]);
    body = Buffer.alloc(r.pick([1_100_000, 2_000_000]), r.pick(["[", "a", "0"]));
  }
  return { family: "action", method: "POST", target: r.pick(CONSOLE_PAGES.slice(0, 26)), headers, body, framing: r.chance(0.15) ? "chunked" : "length" };
}

function jwtish(r: Random): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  switch (r.int(6)) {
    case 0:
      return `${b64('{"alg":"none"}')}.${b64(toJson(randomJson(r)))}.`;
    case 1:
      return `${b64(toJson(randomJson(r)))}.${b64(toJson(randomJson(r)))}.${b64(r.hex(64))}`;
    case 2:
      return `${b64('{"alg":"RS256","kid":"' + r.pick(["../../x", "' OR 1=1", "a".repeat(5000), ""]) + '"}')}.${b64('{"iss":"https://127.0.0.1/","sub":"x","aud":"x","exp":1e20}')}.AAAA`;
    case 3:
      return "a.b.c.d.e";
    case 4:
      return "x".repeat(r.pick([17_000, 100]));
    default:
      return randomString(r);
  }
}

function tokenRequest(r: Random, t: FuzzTarget): RawRequest {
  const headers = baseHeaders(t);
  const form = new URLSearchParams();
  const grant = r.pick(["urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange", "client_credentials", "", "x"]);
  if (r.chance(0.9)) form.set("grant_type", grant);
  if (r.chance(0.8)) form.set(r.pick(["assertion", "subject_token"]), jwtish(r));
  if (r.chance(0.5)) form.set("federation_rule_id", r.pick(IDS));
  if (r.chance(0.3)) form.set("service_account_id", r.pick(IDS));
  if (r.chance(0.2)) form.append("grant_type", "again");
  let body: Buffer;
  switch (r.int(6)) {
    case 0:
    case 1:
      headers.push(["content-type", r.pick(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded; charset=latin1"])]);
      body = Buffer.from(r.chance(0.2) ? form.toString() + "&" + r.pick(BAD_ESCAPES) + "=" + r.pick(BAD_ESCAPES) : form.toString());
      break;
    case 2:
      headers.push(["content-type", "application/json"]);
      body = Buffer.from(r.chance(0.5) ? JSON.stringify(Object.fromEntries(form)) : toJson(randomJson(r)));
      break;
    case 3:
      headers.push(["content-type", r.pick(["text/plain", "multipart/form-data; boundary=x", "", "application/x-www-form-urlencoded;;;", "\u00ff"])]);
      body = Buffer.from(form.toString());
      break;
    case 4:
      headers.push(["content-type", "application/x-www-form-urlencoded"]);
      body = Buffer.concat([Buffer.from("grant_type="), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from("&assertion=" + "a".repeat(r.pick([10, 70_000, 1_100_000])))]);
      break;
    default:
      headers.push(["content-type", "application/x-www-form-urlencoded"]);
      body = Buffer.from(toJson(randomJson(r)));
  }
  if (r.chance(0.2)) headers.push(["cookie", sessionCookie(r, t)]);
  if (r.chance(0.2)) headers.push(["authorization", r.pick(["Bearer x", "Basic %%%", "Bearer " + "a".repeat(9000)])]);
  const target = "/v1/oauth/token" + (r.chance(0.1) ? r.pick(["?", "?a=%ZZ", "?grant_type=x"]) : "");
  return { family: "token", method: r.chance(0.95) ? "POST" : r.pick(["GET", "PUT", "OPTIONS"]), target, headers, body, framing: r.chance(0.1) ? "chunked" : "length" };
}

function adminRequest(r: Random, t: FuzzTarget): RawRequest {
  const headers = baseHeaders(t);
  const [method, template] = r.pick(ADMIN_ROUTES);
  const path = template.replace(/\{id\}/g, () => encodeURIComponent(r.pick(IDS)).replace(/%25ZZ/, "%ZZ"));
  let target = `/v1/organizations${path}`;
  if (r.chance(0.2)) target += `?${r.pick(["limit=0", "limit=-5", "limit=99999", "limit=abc", "after_id=%ZZ", "before_id=x&after_id=y", "include_archived=maybe", "created_at[gte]=x", "outcome=x", "__proto__=1"])}`;
  if (r.chance(0.1)) target = mutatePath(r, target);
  headers.push(["authorization", t.adminKey && r.chance(0.9) ? `Bearer ${t.adminKey}` : r.pick(["Bearer x", "Bearer ", "bearer sk-ant-admin01-x", "Basic Og==", "Bearer " + "a".repeat(9000)])]);
  if (r.chance(0.5)) headers.push(["anthropic-version", r.pick(["2023-06-01", "", "x"])]);
  let body: Buffer | undefined;
  if (method === "POST") {
    headers.push(["content-type", r.pick(["application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", ""])]);
    body = Buffer.from(r.chance(0.1) ? r.pick(["{", "[]", "null", '{"a":1,"a":2}', "\u00ff", '{"__proto__":{"admin":true}}']) : toJson(randomJson(r)));
  }
  return { family: "admin", method: r.chance(0.9) ? method : r.pick(["PUT", "PATCH", "DELETE", "GET", "POST"]), target, headers, ...(body ? { body } : {}) };
}

/** One generated request of `family` (or a random one). */
function generateRequest(r: Random, t: FuzzTarget, family: Family = r.pick(FAMILIES)): RawRequest {
  const headers = baseHeaders(t);
  if (t.console && r.chance(0.7)) headers.push(["cookie", sessionCookie(r, t)]);
  switch (family) {
    case "path":
      return { family, method: r.pick(["GET", "GET", "HEAD", "POST"]), target: mutatePath(r, r.pick(allPaths(t))), headers };
    case "method":
      return { family, method: r.pick(["TRACE", "TRACK", "CONNECT", "OPTIONS", "PUT", "PATCH", "DELETE", "PROPFIND", "MKCOL", "LOCK", "SEARCH", "PURGE", "QUERY", "get", "G3T"]), target: r.pick(allPaths(t)), headers };
    case "target": {
      const target = r.pick(["*", "*", "**", "/*", "localhost:80", "http://evil.example/", `http://${t.host}:${t.port}/login`, "https://x/%ZZ", "//evil.example/", "/\\evil.example", "?a=1", "#", "x"]);
      return { family, method: r.pick(["GET", "OPTIONS", "POST", "HEAD"]), target, headers };
    }
    case "headers": {
      const path = r.pick(allPaths(t));
      const extra: Array<[string, string]> = [];
      for (let i = 1 + r.int(4); i > 0; i--) {
        extra.push(
          r.pick<[string, string]>([
            ["cookie", r.pick(COOKIES)],
            ["cookie", "a=1"],
            ["next-action", r.pick(["x", "", "%ZZ", r.hex(42)])],
            ["next-router-prefetch", r.pick(["1", "2", "3", "x"])],
            ["next-router-segment-prefetch", r.pick(["/_tree", "%ZZ", "/x"])],
            ["next-url", r.pick(["/%ZZ", "x", "//evil"])],
            ["rsc", r.pick(["1", "0", "x"])],
            ["content-type", r.pick(["multipart/form-data", "text/x-component", "\u00ff", "a/b; boundary="])],
            ["x-forwarded-host", r.pick(["evil.example", "", "a,b", "%ZZ", "[::1"])],
            ["x-forwarded-proto", r.pick(["https", "gopher", "https,http", ""])],
            ["x-forwarded-for", r.pick(["1.2.3.4", "x", "::1, 999.1.1.1", ""])],
            ["origin", r.pick(["null", "http://[", "https://evil.example"])],
            ["accept", r.pick(["text/x-component", "*/*;q=x", ""])],
            ["accept-encoding", r.pick(["gzip;q=2", "br, x", "identity;q=0"])],
            ["range", r.pick(["bytes=0-0", "bytes=x", "bytes=1-0,5-"])],
            ["if-none-match", r.pick(['"x"', "*", "W/"])],
            ["x-nonce", "x"],
            ["x-middleware-subrequest", r.pick(["middleware", "src/middleware:middleware:middleware:middleware:middleware", "proxy:proxy:proxy:proxy:proxy"])],
            ["x-invoke-path", "/x"],
            ["x-wif-pathname", "//evil.example"],
            ["purpose", "prefetch"],
            ["user-agent", "\u00ff".repeat(100)],
            ["x-garbled", "\u00e9\u00ff\u0080"],
            ["x-long", "a".repeat(r.pick([100, 6000]))],
          ]),
        );
      }
      return { family, method: r.pick(["GET", "GET", "POST", "HEAD"]), target: path, headers: [...headers, ...extra] };
    }
    case "router-state": {
      const tree = routerState(r);
      const path = r.pick(CONSOLE_PAGES.slice(0, 26));
      const withParam = r.chance(0.85);
      const target = withParam ? `${path}?_rsc=${rscSearchParam(tree)}` : path;
      const extra: Array<[string, string]> = [["rsc", "1"], ["next-router-state-tree", tree]];
      if (r.chance(0.1)) extra.push(["next-router-state-tree", "again"]);
      return { family, method: "GET", target, headers: [...headers, ...extra] };
    }
    case "action":
      return actionRequest(r, t);
    case "token":
      return tokenRequest(r, t);
    case "admin":
      return adminRequest(r, t);
  }
}

// ---------------------------------------------------------------------------------------------
// Sending

function serializeRequest(req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`, ...req.headers.map(([k, v]) => `${k}: ${v}`)];
  const framing = req.framing ?? "length";
  let body = req.body ?? Buffer.alloc(0);
  if (req.body !== undefined && framing === "length") lines.push(`content-length: ${body.length}`);
  if (req.body !== undefined && framing === "chunked") {
    lines.push("transfer-encoding: chunked");
    body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]);
  }
  lines.push("connection: close");
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), body]);
}

/** The status of one raw request: a number, "closed" (no response at all) or "timeout". */
export async function sendRaw(host: string, port: number, bytes: Buffer, timeoutMs = 20_000): Promise<number | "closed" | "timeout"> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    let head = "";
    let done = false;
    const finish = (result: number | "closed" | "timeout") => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1", 0, Math.min(chunk.length, 64));
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) finish(Number(m[1]));
      else if (head.length >= 12) finish("closed");
    });
    socket.on("end", () => finish("closed"));
    socket.on("close", () => finish("closed"));
    // A server that answers early (413, 400) and closes may reset our still-writing socket.
    socket.on("error", () => finish(head ? "closed" : "closed"));
    socket.write(bytes);
  });
}

export interface FuzzReport {
  sent: number;
  byFamily: Record<string, Record<string, number>>;
  /** Requests answered 5xx, dropped without an answer, or timed out (first 20 kept). */
  failures: Array<{ family: Family; method: string; target: string; result: number | string; request: string }>;
  failureCount: number;
  statusClasses: Record<string, number>;
}

/** Generate and send `count` requests from `seed`, `concurrency` at a time. */
export async function runFuzz(t: FuzzTarget, options: { seed: number; count: number; concurrency?: number; families?: readonly Family[]; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  const r = createRandom(options.seed);
  const families = options.families ?? FAMILIES;
  const requests = Array.from({ length: options.count }, () => generateRequest(r, t, r.pick(families)));
  const report: FuzzReport = { sent: 0, byFamily: {}, failures: [], failureCount: 0, statusClasses: {} };
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < requests.length) {
      const req = requests[nextIndex++]!;
      const bytes = serializeRequest(req);
      const result = await sendRaw(t.host, t.port, bytes);
      report.sent++;
      const cls = typeof result === "number" ? `${Math.floor(result / 100)}xx` : result;
      report.statusClasses[cls] = (report.statusClasses[cls] ?? 0) + 1;
      const fam = (report.byFamily[req.family] ??= {});
      fam[cls] = (fam[cls] ?? 0) + 1;
      if (typeof result !== "number" || result >= 500) {
        report.failureCount++;
        if (report.failures.length < 20) report.failures.push({ family: req.family, method: req.method, target: req.target.slice(0, 200), result, request: bytes.toString("latin1", 0, 600) });
      }
      if (options.onProgress && report.sent % 1000 === 0) options.onProgress(report.sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return report;
}
