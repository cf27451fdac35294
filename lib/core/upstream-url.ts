/**
 * The upstream the gateway forwards to is configuration, not input: https, or plain http to
 * a loopback address only (a local test upstream), or `demo` for the built-in offline one.
 * @see docs/gateway.md#upstream
 */

/** The built-in offline upstream's name in place of a URL. */
export const DEMO_UPSTREAM = "demo";

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why `value` cannot be an upstream base URL, or undefined when it can. */
export function upstreamUrlProblem(value: string): string | undefined {
  if (value === DEMO_UPSTREAM) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL such as https://api.anthropic.com (or demo)";
  }
  if (url.username || url.password) return "must not contain credentials";
  if (url.search || url.hash) return "must not contain a query or fragment";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname)) return undefined;
  if (url.protocol === "http:") return "must use https (plain http is accepted for loopback addresses only)";
  return "must use https";
}

/** The base URL without a trailing slash (paths are appended as `/v1/…`). */
export function normalizeUpstreamUrl(value: string): string {
  return value === DEMO_UPSTREAM ? value : value.replace(/\/+$/, "");
}
