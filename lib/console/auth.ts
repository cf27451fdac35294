/**
 * Who is using the console. Every page calls `requireUser` and every server action
 * `actionContext` itself; the proxy's redirect of signed-out visitors is a convenience only.
 */
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { AdminContext, Principal, UserRole } from "../services/context";
import { ApiError, forbidden } from "../core/errors";
import { newId } from "../core/ids";
import { annotateRequest, currentRequest } from "../observability/log";
import { getRuntime } from "../runtime";
import { isSameOriginRequest, safeReturnPath } from "./request";
import { mustEnrolSecondFactor } from "./second-factor";
import { findSessionUser, SESSION_COOKIE, type SessionUser } from "./session";

export type { SessionUser };

const RANK: Record<UserRole, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

export const roleAtLeast = (role: UserRole, min: UserRole) => RANK[role] >= RANK[min];

/** May change configuration (issuers, rules, service accounts, workspaces, API keys). */
export const canEdit = (user: Pick<SessionUser, "role">) => roleAtLeast(user.role, "admin");

/** The signed-in user of this request, or undefined. Cached per request. */
export const currentUser = cache(async (): Promise<SessionUser | undefined> => {
  const runtime = await getRuntime();
  const sessionId = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = await findSessionUser(runtime.store.db, sessionId);
  if (!user || user.organizationId !== runtime.organizationId) return undefined;
  annotateRequest({ credentialKind: "user", credentialId: user.id });
  return user;
});

/**
 * For pages and layouts: the signed-in user with at least `minRole`. Redirects to /login
 * (remembering the page when the proxy told us which) or, for a role too low, to /denied.
 */
export async function requireUser(minRole: UserRole = "viewer"): Promise<SessionUser> {
  const user = await currentUser();
  const path = safeReturnPath((await headers()).get("x-wif-pathname"));
  if (!user) redirect(path === "/" ? "/login" : `/login?next=${encodeURIComponent(path)}`);
  // An owner requires a second factor and this user has none: they set one up before anything else.
  if (path !== ACCOUNT_PATH && (await mustEnrolSecondFactor((await getRuntime()).store.db, user.id))) redirect(ACCOUNT_PATH);
  if (!roleAtLeast(user.role, minRole)) redirect(`/denied?need=${minRole}`);
  return user;
}

/** Where a user manages their own second factor. */
export const ACCOUNT_PATH = "/account";

export const ENROL_FIRST = "An owner requires a second factor for password sign-in: set one up on your Account page first.";

export function userPrincipal(user: SessionUser): Principal {
  return { kind: "user", id: user.id, organizationId: user.organizationId, role: user.role, label: user.email };
}

export interface ConsoleContext extends AdminContext {
  user: SessionUser;
}

async function contextFor(user: SessionUser): Promise<ConsoleContext> {
  const runtime = await getRuntime();
  return { db: runtime.store.db, principal: userPrincipal(user), requestId: currentRequest()?.id ?? newId("request"), config: runtime.config, user };
}

/** For server components: `requireUser` plus the context the lib/services operations take. */
export async function pageContext(minRole: UserRole = "viewer"): Promise<ConsoleContext> {
  return contextFor(await requireUser(minRole));
}

/** Refuse a state-changing request that does not come from our own pages (CSRF). */
export async function assertSameOrigin(): Promise<void> {
  const runtime = await getRuntime();
  if (!isSameOriginRequest(await headers(), { publicUrl: runtime.config.publicUrl, trustedProxies: runtime.config.trustedProxies })) {
    throw forbidden("This request did not come from the console's own pages and was refused");
  }
}

/**
 * For server actions: checks the request's origin, the session and the role, and returns
 * the context for the lib/services operations (which authorise again). Throws `ApiError`.
 */
export async function actionContext(minRole: UserRole, options: { duringEnrolment?: boolean } = {}): Promise<ConsoleContext> {
  await assertSameOrigin();
  const user = await currentUser();
  if (!user) throw new ApiError(401, "Your session has ended. Sign in again to continue.");
  if (!options.duringEnrolment && (await mustEnrolSecondFactor((await getRuntime()).store.db, user.id))) throw forbidden(ENROL_FIRST);
  if (!roleAtLeast(user.role, minRole)) {
    throw forbidden(`Your role (${user.role}) cannot do this; it needs ${minRole === "owner" ? "an owner" : `the ${minRole} role or higher`}`);
  }
  return contextFor(user);
}
