/**
 * What the console needs to know about an incoming request: who the client is, whether it
 * came over https and from our own pages (CSRF). Forwarded headers are believed only from
 * a trusted proxy; lib/services/forwarded.ts decides, from the peer address serve.ts stamps.
 */
import "server-only";
import type { TrustedProxyRange } from "../config";
import { fromWebHeaders, PEER_ADDRESS_HEADER, resolveClient, type RequestClient } from "../services/forwarded";

type HeaderBag = { get(name: string): string | null };

/** The client of a request Next is handling (lib/services/forwarded.ts). */
export function requestClient(headers: HeaderBag, trustedProxies: readonly TrustedProxyRange[]): RequestClient {
  return resolveClient(headers.get(PEER_ADDRESS_HEADER) ?? undefined, fromWebHeaders(headers), trustedProxies);
}

/**
 * Whether a state-changing request comes from our own pages: its `Origin` must be present
 * (browsers send it on every POST), not the opaque `null`, and name the host the request
 * was sent to (`Host`, or `X-Forwarded-Host` from a trusted proxy) or the configured public
 * URL. Next performs a similar check for server actions but lets a request without
 * `Origin` through with a warning, and believes `X-Forwarded-Host` from anyone; this one
 * does neither.
 */
export function isSameOriginRequest(headers: HeaderBag, options: { publicUrl?: string; trustedProxies: readonly TrustedProxyRange[] }): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const hosts = [requestClient(headers, options.trustedProxies).host];
  if (options.publicUrl) {
    try {
      hosts.push(new URL(options.publicUrl).host);
    } catch {
      // an unparsable public URL adds nothing
    }
  }
  return hosts.some((h) => !!h && h.toLowerCase() === originHost);
}

/** A same-site path to return to after sign-in; anything else becomes `/`. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 512) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || /[\u0000-\u001f]/.test(value)) return "/";
  if (value.startsWith("/login") || value.startsWith("/setup")) return "/";
  return value;
}
