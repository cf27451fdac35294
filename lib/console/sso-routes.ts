/**
 * The two single sign-on routes, for app/auth/sso: the start sends the browser to the
 * provider with the flow cookie set; the callback finishes the sign-in and sets the session
 * cookie. Failures go back to /login with a reason code the page explains.
 * @see docs/security.md#console-single-sign-on
 */
import "server-only";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { getRuntime, type Runtime } from "../runtime";
import { requestClient } from "./request";
import { SESSION_COOKIE, sessionCookieOptions } from "./session";
import { completeSsoSignIn, SSO_COOKIE, SsoSignInFailed, startSsoSignIn, type SsoDeps, type SsoFailure } from "./sso-sign-in";

const FLOW_COOKIE_PATH = "/auth/sso";

const depsOf = (runtime: Runtime): SsoDeps => ({
  store: runtime.store,
  secrets: runtime.secrets,
  organizationId: runtime.organizationId,
  publicUrl: runtime.publicUrl,
  allowInsecure: runtime.config.allowInsecureIssuers,
  proxy: runtime.config.outboundProxy,
});

function toLogin(runtime: Runtime, reason: SsoFailure): NextResponse {
  const response = NextResponse.redirect(new URL(`/login?sso_error=${reason}`, runtime.publicUrl), 303);
  response.headers.set("cache-control", "no-store");
  return response;
}

export async function ssoStartRoute(request: NextRequest, providerId: string): Promise<Response> {
  const runtime = await getRuntime();
  const client = requestClient(request.headers, runtime.config.trustedProxies);
  try {
    const started = await startSsoSignIn(depsOf(runtime), providerId, request.nextUrl.searchParams.get("next"));
    const response = NextResponse.redirect(started.redirectTo, 303);
    response.headers.set("cache-control", "no-store");
    // Lax, not Strict: the provider's redirect back to the callback is a cross-site navigation.
    response.cookies.set(SSO_COOKIE, started.cookie, { httpOnly: true, sameSite: "lax", secure: client.https, path: FLOW_COOKIE_PATH, expires: started.expiresAt });
    return response;
  } catch (err) {
    if (err instanceof SsoSignInFailed) return toLogin(runtime, err.reason);
    return toLogin(runtime, "provider_error");
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The callback answers signed in with a page that moves on by itself rather than a redirect:
 * the session cookie is SameSite=Strict, and browsers do not send it on a redirect chain that
 * began at the provider's site, so a redirect would land signed out.
 */
export async function ssoCallbackRoute(request: NextRequest): Promise<Response> {
  const runtime = await getRuntime();
  const client = requestClient(request.headers, runtime.config.trustedProxies);
  const result = await completeSsoSignIn(depsOf(runtime), { search: request.nextUrl.search, cookie: request.cookies.get(SSO_COOKIE)?.value }, client);
  const response = result.ok
    ? new NextResponse(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escapeHtml(result.returnTo)}"><title>Signed in</title></head>` +
          `<body><p>Signed in. <a href="${escapeHtml(result.returnTo)}">Continue to the console</a>.</p></body></html>`,
        { status: 200, headers: { "content-type": "text/html; charset=utf-8" } },
      )
    : toLogin(runtime, result.reason);
  response.headers.set("cache-control", "no-store");
  response.headers.set("referrer-policy", "no-referrer");
  response.cookies.set(SSO_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: client.https, path: FLOW_COOKIE_PATH, maxAge: 0 });
  if (result.ok) response.cookies.set(SESSION_COOKIE, result.signedIn.sessionId, sessionCookieOptions({ secure: client.https, expiresAt: result.signedIn.expiresAt }));
  return response;
}
