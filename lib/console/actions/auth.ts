"use server";
/** Signing in and first-run setup: public POST endpoints, so each checks origin and input itself. */
import { cookies, headers } from "next/headers";
import { assertSameOrigin } from "@/lib/console/auth";
import { runAction, type ActionResult } from "@/lib/console/action-result";
import { clientIp, safeReturnPath } from "@/lib/console/request";
import { isHttpsRequest, SESSION_COOKIE, sessionCookieOptions } from "@/lib/console/session";
import { completeSetup, signIn, type SignedIn } from "@/lib/console/sign-in";
import { getRuntime } from "@/lib/runtime";

async function startSession(signedIn: SignedIn): Promise<void> {
  const h = await headers();
  (await cookies()).set(SESSION_COOKIE, signedIn.sessionId, sessionCookieOptions({ secure: isHttpsRequest(h), expiresAt: signedIn.expiresAt }));
}

export async function signInAction(input: unknown, next: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  return runAction(async () => {
    await assertSameOrigin();
    const runtime = await getRuntime();
    const signedIn = await signIn(runtime.store.db, runtime.organizationId, input, { ip: clientIp(await headers()) });
    await startSession(signedIn);
    return { redirectTo: safeReturnPath(next) };
  });
}

export async function setupAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  return runAction(async () => {
    await assertSameOrigin();
    const runtime = await getRuntime();
    const signedIn = await completeSetup(runtime.store.db, runtime.organizationId, input, { ip: clientIp(await headers()) });
    await startSession(signedIn);
    return { redirectTo: "/" };
  });
}
