/** What the console needs to know about an incoming request: same-origin (CSRF) and client address. */
import "server-only";

type HeaderBag = { get(name: string): string | null };

/**
 * Whether a state-changing request comes from our own pages: its `Origin` must be present
 * (browsers send it on every POST), not the opaque `null`, and name the host the request
 * was sent to (`x-forwarded-host` behind a proxy, else `Host`) or the configured public URL.
 * Next performs a similar check for server actions but lets a request without `Origin`
 * through with a warning; this one refuses it.
 */
export function isSameOriginRequest(headers: HeaderBag, publicUrl?: string): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const hosts = [headers.get("x-forwarded-host")?.split(",")[0]?.trim(), headers.get("host")?.trim()];
  if (publicUrl) {
    try {
      hosts.push(new URL(publicUrl).host);
    } catch {
      // an unparsable public URL adds nothing
    }
  }
  return hosts.some((h) => !!h && h.toLowerCase() === originHost);
}

/**
 * The client address for rate limiting: the right-most `x-forwarded-for` entry (the one the
 * nearest proxy, or Next itself from the socket, appended), else "unknown".
 */
export function clientIp(headers: HeaderBag): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  return last || headers.get("x-real-ip")?.trim() || "unknown";
}

/** A same-site path to return to after sign-in; anything else becomes `/`. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 512) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || /[\u0000-\u001f]/.test(value)) return "/";
  if (value.startsWith("/login") || value.startsWith("/setup")) return "/";
  return value;
}
