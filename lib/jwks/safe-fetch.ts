/**
 * The only way this server fetches a URL an administrator typed (issuers' discovery documents
 * and JWKS, single sign-on providers' discovery, keys and token endpoint). Treats it as hostile: https only, no redirects, a timeout and a size cap, and every
 * resolved address is checked AT CONNECT TIME (inside the socket's DNS lookup), so DNS
 * rebinding between a check and the connection is impossible. Behind an outbound proxy
 * (HTTPS_PROXY, HTTP_PROXY, NO_PROXY through lib/config.ts) requests go through undici's
 * EnvHttpProxyAgent, and the target is resolved and checked here before the proxy is asked.
 * @see docs/security.md#fetching-issuer-keys
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { rootCertificates } from "node:tls";
import { EnvHttpProxyAgent, request as undiciRequest } from "undici";
import type { OutboundProxyConfig } from "../config";

export type FetchRefusalCode =
  | "invalid_url"
  | "scheme_not_allowed"
  | "address_not_allowed"
  | "redirect_not_allowed"
  | "timeout"
  | "too_large"
  | "http_status"
  | "not_json"
  | "network";

export class FetchRefused extends Error {
  constructor(
    readonly code: FetchRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "FetchRefused";
  }
}

export interface SafeFetchOptions {
  /** Development setting: allow plain http and loopback/private addresses (never link-local). */
  allowInsecureLocal: boolean;
  caCertPem?: string | null;
  timeoutMs?: number;
  maxBytes?: number;
  /** Injected resolver, for tests of the connect-time check. */
  lookup?: typeof dns.lookup;
  /** The outbound proxy (lib/config.ts); undefined: connect directly. */
  proxy?: OutboundProxyConfig | undefined;
}

// Ranges never reachable from a key fetch, unless the development setting allows "local" ones.
const LOCAL_V4: Array<[string, number]> = [
  ["127.0.0.0", 8], // loopback
  ["10.0.0.0", 8], // private
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
];
const ALWAYS_BLOCKED_V4: Array<[string, number]> = [
  ["0.0.0.0", 8], // "this network"
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["168.63.129.16", 32], // Azure's host address (WireServer: VM agent, health probes, DNS)
  ["100.64.0.0", 10], // CGNAT
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const LOCAL_V6: Array<[string, number]> = [
  ["::1", 128],
  ["fc00::", 7], // unique local
];
const ALWAYS_BLOCKED_V6: Array<[string, number]> = [
  ["::", 128], // unspecified
  // AWS's IPv6 instance services inside fc00::/7: metadata fd00:ec2::254, DNS ::253, NTP ::123.
  // Checked before the "local" ranges, so the development setting does not open them either.
  ["fd00:ec2::", 64],
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["2001:db8::", 32], // documentation
  ["2001::", 32], // Teredo: the client's IPv4 address is hidden (XOR-ed) in the low bits
  ["100::", 64], // discard
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215): reaches IPv4 through a translator
  ["fec0::", 10], // site-local (deprecated, still routed on some networks)
];

function blockList(v4: Array<[string, number]>, v6: Array<[string, number]>): net.BlockList {
  const list = new net.BlockList();
  for (const [a, p] of v4) list.addSubnet(a, p, "ipv4");
  for (const [a, p] of v6) list.addSubnet(a, p, "ipv6");
  return list;
}
const LOCAL = blockList(LOCAL_V4, LOCAL_V6);
const BLOCKED = blockList(ALWAYS_BLOCKED_V4, ALWAYS_BLOCKED_V6);

/** The IPv4 address an IPv6 address embeds (mapped, translated, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!); // ::ffff:a.b.c.d
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return v4(groups[6]!, groups[7]!); // ::ffff:0:a.b.c.d (SIIT)
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7]! > 1)) return v4(groups[6]!, groups[7]!); // ::a.b.c.d
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!); // 64:ff9b::/96
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!); // 6to4
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  let a = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const o = dotted[1]!.split(".").map(Number);
    a = a.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = a.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail !== undefined ? (tail ? tail.split(":") : []) : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array<string>(Math.max(0, fill)).fill("0"), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

export type AddressClass = "public" | "local" | "blocked";

/** Classify an address: public (fetchable), local (only with the development setting) or blocked. */
export function classifyAddress(address: string): AddressClass {
  const family = net.isIP(address);
  if (family === 0) return "blocked";
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return classifyAddress(v4);
    if (BLOCKED.check(address, "ipv6")) return "blocked";
    return LOCAL.check(address, "ipv6") ? "local" : "public";
  }
  if (BLOCKED.check(address, "ipv4")) return "blocked";
  return LOCAL.check(address, "ipv4") ? "local" : "public";
}

function allowed(address: string, allowInsecureLocal: boolean): boolean {
  const c = classifyAddress(address);
  return c === "public" || (c === "local" && allowInsecureLocal);
}

/**
 * Why an issuer URL as entered is refused for its host, or undefined when it is not: a
 * literal address outside the fetchable ranges (in any notation the URL parser accepts), or
 * the name `localhost` (with or without the root's trailing dot). `resolvedHostRefusal` also
 * resolves names; fetch time checks every address again. This lets a configuration fail when
 * it is saved rather than at its first key fetch.
 */
export function hostRefusal(raw: string, allowInsecureLocal: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined; // the schema reports unparsable URLs
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  const c = net.isIP(host) ? classifyAddress(host) : host === "localhost" || host.endsWith(".localhost") ? "local" : "public";
  if (c === "blocked") return `${host} is a link-local, cloud metadata or reserved address; this server never connects to it`;
  if (c === "local" && !allowInsecureLocal) return `${host} is a loopback or private address; it is allowed only with WIF_ALLOW_INSECURE_ISSUERS for local development`;
  return undefined;
}

/**
 * `hostRefusal`, then the name resolved: a host whose addresses include a metadata, link-local,
 * reserved, or (without the development setting) loopback or private one is refused with the
 * address it resolves to. A name that does not resolve (yet) is let through: the fetch-time
 * guard checks every address again, and a typo shows as the issuer's key-fetch error.
 */
export async function resolvedHostRefusal(raw: string, allowInsecureLocal: boolean, lookup: typeof dns.promises.lookup = dns.promises.lookup, timeoutMs = 3000): Promise<string | undefined> {
  const literal = hostRefusal(raw, allowInsecureLocal);
  if (literal) return literal;
  let host: string;
  try {
    host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return undefined;
  }
  if (net.isIP(host)) return undefined; // hostRefusal judged the literal
  let addresses: dns.LookupAddress[];
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs)));
    addresses = await Promise.race([lookup(host, { all: true }), timeout]).finally(() => clearTimeout(timer));
  } catch {
    return undefined;
  }
  for (const { address } of addresses) {
    const c = classifyAddress(address);
    if (c === "blocked") return `${host} resolves to ${address}, a link-local, cloud metadata or reserved address; this server never connects to it`;
    if (c === "local" && !allowInsecureLocal) return `${host} resolves to ${address}, a loopback or private address; it is allowed only with WIF_ALLOW_INSECURE_ISSUERS for local development`;
  }
  return undefined;
}

/** Parse and vet a URL before any network activity. */
export function checkUrl(raw: string, allowInsecureLocal: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused("invalid_url", `${raw} is not a valid URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowInsecureLocal)) {
    throw new FetchRefused("scheme_not_allowed", `${url.protocol} URLs are not fetched; use https`);
  }
  if (url.username || url.password) throw new FetchRefused("invalid_url", "URLs with a user name or password are not fetched");
  if (url.hash || raw.includes("#")) throw new FetchRefused("invalid_url", "URLs with a fragment are not fetched");
  if (!allowInsecureLocal && url.port && url.port !== "443") throw new FetchRefused("invalid_url", `port ${url.port} is not allowed; only 443 is, unless WIF_ALLOW_INSECURE_ISSUERS is set for local development`);
  // Literal IPs (in any notation the URL parser normalised) are checked before connecting too.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) && !allowed(host, allowInsecureLocal)) throw new FetchRefused("address_not_allowed", `address ${host} is not allowed`);
  return url;
}

/** A reply read through the guard: status, headers and the (capped) body. */
export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface GuardedRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One request through the guard: the URL vetted, every resolved address checked at connect
 * time, no redirects (a 3xx is refused), a timeout and a response cap. Any status is returned;
 * the caller decides what it means.
 */
export async function safeRequest(raw: string, request: GuardedRequest, options: SafeFetchOptions): Promise<GuardedResponse> {
  const url = checkUrl(raw, options.allowInsecureLocal);
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 100 * 1024;
  const baseLookup = options.lookup ?? dns.lookup;

  const guardedLookup = ((hostname: string, opts: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    baseLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => !allowed(a.address, options.allowInsecureLocal));
      if (bad || list.length === 0) {
        const refused = new FetchRefused("address_not_allowed", `${hostname} resolves to ${bad?.address ?? "nothing"}, which is not allowed`) as FetchRefused & NodeJS.ErrnoException;
        return callback(refused, "", 4);
      }
      if (opts.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  }) as unknown as typeof dns.lookup;

  const client = url.protocol === "https:" ? https : http;
  const ca = options.caCertPem ? [...rootCertificates, options.caCertPem] : undefined;
  const headers = { "user-agent": "wif-console-jwks/1", ...request.headers, ...(request.body !== undefined ? { "content-length": String(Buffer.byteLength(request.body)) } : {}) };
  if (options.proxy) return proxiedRequest(url, { ...request, headers }, { ...options, proxy: options.proxy, timeoutMs, maxBytes, guardedLookup, ca });

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: FetchRefused) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const req = client.request(url, { method: request.method, headers, lookup: guardedLookup, ...(ca ? { ca } : {}), agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) return fail(new FetchRefused("redirect_not_allowed", `${url.host} answered ${status} (redirect); redirects are not followed`));
      const declared = Number(res.headers["content-length"] ?? 0);
      if (declared > maxBytes) return fail(new FetchRefused("too_large", `response is ${declared} bytes; the limit is ${maxBytes}`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return fail(new FetchRefused("too_large", `response exceeds ${maxBytes} bytes`));
        chunks.push(chunk);
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on("error", () => fail(new FetchRefused("network", `connection to ${url.host} failed while reading`)));
    });
    const timer = setTimeout(() => fail(new FetchRefused("timeout", `${url.host} did not answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      if (err instanceof FetchRefused) return fail(err);
      fail(new FetchRefused("network", `could not reach ${url.host}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
    req.on("close", () => clearTimeout(timer));
    req.end(request.body);
  });
}

/**
 * The same request through the outbound proxy. The proxy resolves and connects to the target
 * itself, so the target's addresses are resolved and checked here first — every one must be
 * allowed — and a host NO_PROXY sends direct still has each address checked as its socket
 * connects (the agent's own lookup). The proxy's address is the operator's choice and is not
 * checked. A proxy that resolved the name differently from us could still reach another
 * address: point HTTPS_PROXY at a proxy that refuses internal destinations too.
 */
async function proxiedRequest(
  url: URL,
  request: GuardedRequest & { headers: Record<string, string> },
  options: { proxy: OutboundProxyConfig; timeoutMs: number; maxBytes: number; guardedLookup: typeof dns.lookup; ca: string[] | undefined },
): Promise<GuardedResponse> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!net.isIP(host)) {
    await new Promise<void>((resolve, reject) =>
      options.guardedLookup(host, { all: true }, (err) => (err ? reject(err instanceof FetchRefused ? err : new FetchRefused("network", `could not resolve ${url.host}: ${err.code ?? err.message}`)) : resolve())),
    );
  }
  // Empty strings, not undefined: undici would fall back to reading process.env itself.
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: options.proxy.httpProxy ?? "",
    httpsProxy: options.proxy.httpsProxy ?? "",
    noProxy: options.proxy.noProxy,
    connect: { lookup: options.guardedLookup, ...(options.ca ? { ca: options.ca } : {}) },
    ...(options.ca ? { requestTls: { ca: options.ca } } : {}),
  });
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await undiciRequest(url, { method: request.method, headers: request.headers, body: request.body, dispatcher, signal });
    const status = res.statusCode;
    if (status >= 300 && status < 400) {
      res.body.destroy();
      throw new FetchRefused("redirect_not_allowed", `${url.host} answered ${status} (redirect); redirects are not followed`);
    }
    const declared = Number(res.headers["content-length"] ?? 0);
    if (declared > options.maxBytes) {
      res.body.destroy();
      throw new FetchRefused("too_large", `response is ${declared} bytes; the limit is ${options.maxBytes}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        res.body.destroy();
        throw new FetchRefused("too_large", `response exceeds ${options.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return { status, headers: res.headers as http.IncomingHttpHeaders, body: Buffer.concat(chunks) };
  } catch (err) {
    if (err instanceof FetchRefused) throw err;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof FetchRefused) throw cause;
    if (signal.aborted) throw new FetchRefused("timeout", `${url.host} did not answer within ${options.timeoutMs} ms`);
    throw new FetchRefused("network", `could not reach ${url.host} through the proxy: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    void dispatcher.close();
  }
}

/** GET a JSON document through the guard; anything but 200 with JSON is refused. */
export async function safeFetchJson(raw: string, options: SafeFetchOptions): Promise<unknown> {
  const res = await safeRequest(raw, { method: "GET", headers: { accept: "application/json" } }, options);
  const host = new URL(raw).host;
  if (res.status !== 200) throw new FetchRefused("http_status", `${host} answered HTTP ${res.status}`);
  try {
    return JSON.parse(res.body.toString("utf8"));
  } catch {
    throw new FetchRefused("not_json", `${host} did not answer with JSON`);
  }
}

/** What a fetch-style client (openid-client's `customFetch`) hands over: its body may be any of fetch's forms. */
export interface FetchStyleInit {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * A fetch-style function through the guard, for libraries that make their own requests
 * (openid-client's discovery, JWKS and token calls for console single sign-on): the same
 * address checks, no redirects, timeout and size cap as every other fetch here. GET and POST
 * only; a body is sent as text.
 */
export function guardedFetch(options: SafeFetchOptions): (url: string, init: FetchStyleInit) => Promise<Response> {
  return async (url, init) => {
    if (init.method !== "GET" && init.method !== "POST") throw new FetchRefused("invalid_url", `${init.method} requests are not made by this server`);
    const res = await safeRequest(url, { method: init.method, headers: init.headers, body: bodyText(init.body) }, options);
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    }
    // A Response refuses a body with these statuses, and a status outside 200–599.
    const empty = res.status === 204 || res.status === 205 || res.status === 304;
    if (res.status < 200 || res.status > 599) throw new FetchRefused("http_status", `${new URL(url).host} answered HTTP ${res.status}`);
    return new Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers });
  };
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString("utf8");
  throw new FetchRefused("invalid_url", "a streamed request body is not supported");
}
