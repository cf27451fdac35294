/**
 * For the console's read-only route handlers (history pages and downloads): each checks the
 * session and the role inside itself, refuses cross-site requests, and answers errors in the
 * platform's JSON envelope rather than redirecting, because scripts and downloads call them.
 * Changes go through server actions, never through these.
 */
import "server-only";
import type { Config } from "../config";
import type { UserRole } from "../services/context";
import { errorReply } from "../core/error-reply";
import { ApiError, errorEnvelope } from "../core/errors";
import { newId } from "../core/ids";
import { currentRequest, reportInternalError } from "../observability/log";
import { getRuntime } from "../runtime";
import { currentUser, ENROL_FIRST, roleAtLeast, userPrincipal, type ConsoleContext } from "./auth";
import { mustEnrolSecondFactor } from "./second-factor";
import { isSameOriginRequest } from "./request";

const NO_STORE = { "cache-control": "no-store" };

/** An error in the platform's envelope, as lib/core/error-reply.ts decides it. */
function errorResponse(err: unknown, requestId: string): Response {
  const reply = errorReply(err, requestId, reportInternalError);
  return Response.json(errorEnvelope(reply.type, reply.message), { status: reply.status, headers: NO_STORE });
}

/**
 * Whether a browser says the request came from another site. Same-origin GETs carry no
 * `Origin`, so `Sec-Fetch-Site` decides where present; `none` is a typed URL or a bookmark.
 */
function isCrossSite(headers: Headers, config: Pick<Config, "publicUrl" | "trustedProxies">): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  return headers.has("origin") && !isSameOriginRequest(headers, config);
}

/** The query string as the lib/services operations take it (a repeated key keeps its last value). */
export const queryOf = (request: Request): Record<string, string> => Object.fromEntries(new URL(request.url).searchParams);

export async function sessionRoute(request: Request, minRole: UserRole, handle: (ctx: ConsoleContext) => Promise<Response>): Promise<Response> {
  const requestId = currentRequest()?.id ?? newId("request");
  try {
    const runtime = await getRuntime();
    if (isCrossSite(request.headers, runtime.config)) throw new ApiError(403, "This request did not come from the console's own pages and was refused");
    const user = await currentUser();
    if (!user) throw new ApiError(401, "Your session has ended. Sign in again to continue.");
    if (await mustEnrolSecondFactor(runtime.store.db, user.id)) throw new ApiError(403, ENROL_FIRST);
    if (!roleAtLeast(user.role, minRole)) throw new ApiError(403, `Your role (${user.role}) cannot do this; it needs the ${minRole} role or higher`);
    const ctx: ConsoleContext = { db: runtime.store.db, principal: userPrincipal(user), requestId, config: runtime.config, user };
    const response = await handle(ctx);
    for (const [name, value] of Object.entries(NO_STORE)) response.headers.set(name, value);
    return response;
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
