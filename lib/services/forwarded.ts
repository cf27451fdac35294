/**
 * Who sent a request, and to which origin: the one place that decides whether
 * `X-Forwarded-For`, `-Proto` and `-Host` are believed. They are, only when the TCP peer is
 * a reverse proxy inside `WIF_TRUSTED_PROXIES`; from anyone else they are the client's own
 * words and are ignored. Used by the token endpoint (the history's client address), the
 * console's rate limits, audit rows, same-origin check and secure-cookie decision.
 *
 * Next.js never sees the socket, so lib/server/serve.ts stamps the peer's address on every
 * request it hands to Next (`stampPeerAddress`), after deleting any copy the client sent;
 * the console reads it back with `PEER_ADDRESS_HEADER`.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import type { TrustedProxyRange } from "../config";

/** Set by serve.ts from the socket on every request for Next; a client-sent copy is deleted first. */
export const PEER_ADDRESS_HEADER = "x-wif-peer-address";

/** The forwarded headers this module interprets. */
const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"] as const;

export interface RequestClient {
  /** The client's address: the TCP peer's, or from `X-Forwarded-For` behind a trusted proxy; "unknown" without a peer. */
  ip: string;
  /** Whether the browser reached us over https (our own listener speaks plain http). */
  https: boolean;
  /** The host the browser addressed: `X-Forwarded-Host` behind a trusted proxy, else `Host`. */
  host: string | undefined;
  /** The peer is a trusted proxy, so its forwarded headers were believed. */
  viaTrustedProxy: boolean;
}

/** A header by lower-case name, joined with ", " when repeated (as node:http and `Headers` both do). */
export type HeaderLookup = (name: string) => string | undefined;

export const fromWebHeaders =
  (headers: { get(name: string): string | null }): HeaderLookup =>
  (name) =>
    headers.get(name) ?? undefined;

export const fromNodeHeaders =
  (headers: IncomingHttpHeaders): HeaderLookup =>
  (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };

// Built once per configured list (the Config object lives as long as the process).
const blockLists = new WeakMap<readonly TrustedProxyRange[], BlockList>();

function trustedList(ranges: readonly TrustedProxyRange[]): BlockList {
  let list = blockLists.get(ranges);
  if (!list) {
    list = new BlockList();
    for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
    blockLists.set(ranges, list);
  }
  return list;
}

/** Whether `address` (an IP) is inside the trusted ranges. IPv4-mapped IPv6 forms match IPv4 ranges. */
export function isTrustedProxy(address: string | undefined, ranges: readonly TrustedProxyRange[]): boolean {
  if (!address || ranges.length === 0) return false;
  const version = isIP(address);
  return version !== 0 && trustedList(ranges).check(address, version === 4 ? "ipv4" : "ipv6");
}

/** An address as we record and key it: IPv4-mapped IPv6 (`::ffff:10.0.0.1`, from a dual-stack listener) as plain IPv4. */
function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}

/** One `X-Forwarded-For` entry as an address: some proxies add a port (`1.2.3.4:5678`) or brackets (`[2001:db8::1]:443`). */
function forwardedAddress(entry: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const candidate = bracketed ? bracketed[1]! : /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry)?.[1] ?? entry;
  return isIP(candidate) ? canonicalAddress(candidate) : undefined;
}

/** The last of a comma-separated header's values: the one our nearest proxy set, when a chain appended. */
const lastValue = (value: string | undefined) => value?.split(",").map((s) => s.trim()).filter(Boolean).pop();

/**
 * The client behind a request whose TCP peer is `peer`. Behind trusted proxies, the
 * client is the right-most `X-Forwarded-For` address that is not itself a trusted proxy
 * (each proxy appends the address it received from, so entries to the left of an
 * untrusted one are whatever that client chose to send). An entry that is not an address
 * stops the walk at the last one a trusted proxy vouched for.
 */
export function resolveClient(peer: string | undefined, header: HeaderLookup, trusted: readonly TrustedProxyRange[]): RequestClient {
  const host = header("host")?.trim() || undefined;
  if (!peer || isIP(peer) === 0) return { ip: "unknown", https: false, host, viaTrustedProxy: false };
  const peerIp = canonicalAddress(peer);
  if (!isTrustedProxy(peerIp, trusted)) return { ip: peerIp, https: false, host, viaTrustedProxy: false };

  let ip = peerIp;
  const hops = (header("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = forwardedAddress(hops[i]!);
    if (!hop) break;
    ip = hop;
    if (!isTrustedProxy(hop, trusted)) break;
  }
  return {
    ip,
    https: lastValue(header("x-forwarded-proto"))?.toLowerCase() === "https",
    host: lastValue(header("x-forwarded-host")) ?? host,
    viaTrustedProxy: true,
  };
}

/**
 * For lib/server/serve.ts, before a request goes to Next: record the socket's address in
 * `PEER_ADDRESS_HEADER` (any client-sent copy is deleted first, so it cannot be forged),
 * and drop forwarded headers an untrusted peer sent, so Next's own handling (it fills them
 * in from the socket when absent) sees what this module believes.
 */
export function stampPeerAddress(req: IncomingMessage, trusted: readonly TrustedProxyRange[]): void {
  const headers = req.headers;
  delete headers[PEER_ADDRESS_HEADER];
  const peer = req.socket.remoteAddress;
  if (peer) headers[PEER_ADDRESS_HEADER] = peer;
  if (!isTrustedProxy(peer, trusted)) for (const name of FORWARDED_HEADERS) delete headers[name];
}

/**
 * The key a client address is rate-limited under: the address itself for IPv4, its /64 for
 * IPv6 — one subscriber usually holds a whole /64, and keying single addresses would give
 * them 2^64 fresh budgets.
 */
export function rateLimitKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = "", tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(":")}::/64`;
}
