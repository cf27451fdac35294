/**
 * Runs before every console request (Next 16's renamed middleware):
 * 1. a per-request nonce and a Content-Security-Policy without 'unsafe-inline' scripts —
 *    Next reads the nonce from the request's CSP header and puts it on its own scripts;
 * 2. a convenience redirect of visitors without a session cookie to /login. Only a
 *    convenience: every page, action and route checks the session itself (lib/console/auth).
 * `/v1/*` never reaches Next (lib/server/serve.ts routes it to the API app).
 */
import { NextResponse, type NextRequest } from "next/server";

/** The session cookie's name; lib/console/session.ts owns it (a proxy must not import server-only modules). */
const SESSION_COOKIE = "wif_session";

const PUBLIC_PATHS = ["/login", "/setup", "/auth/sso"];

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next's nonced bootstrap loads are trusted; nothing else is.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (colour swatches) are allowed; a nonce would forbid them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  // Only page loads are redirected; a server action (POST) without a session gets its own
  // 401 answer from the action, which the form shows.
  if (!isPublic && !request.cookies.has(SESSION_COOKIE) && (request.method === "GET" || request.method === "HEAD")) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  // Lets requireUser send a signed-out visitor back to this page after sign-in.
  requestHeaders.set("x-wif-pathname", pathname + search);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
