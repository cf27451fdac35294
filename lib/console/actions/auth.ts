"use server";
/** Signing in and first-run setup: public POST endpoints, so each checks origin and input itself. */
import { cookies, headers } from "next/headers";
import { assertSameOrigin } from "@/lib/console/auth";
import { runAction, type ActionResult } from "@/lib/console/action-result";
import { requestClient, safeReturnPath } from "@/lib/console/request";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/console/session";
import { completeSetup, signIn, type SignedIn } from "@/lib/console/sign-in";
import { getRuntime } from "@/lib/runtime";
import type { RequestClient } from "@/lib/services/forwarded";

async function startSession(signedIn: SignedIn, client: RequestClient): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, signedIn.sessionId, sessionCookieOptions({ secure: client.https, expiresAt: signedIn.expiresAt }));
}

export async function signInAction(input: unknown, next: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  return runAction(async () => {
    await assertSameOrigin();
    const runtime = await getRuntime();
    const client = requestClient(await headers(), runtime.config.trustedProxies);
    const signedIn = await signIn(runtime.store, runtime.organizationId, input, client);
    await startSession(signedIn, client);
    return { redirectTo: safeReturnPath(next) };
  });
}

export async function setupAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  return runAction(async () => {
    await assertSameOrigin();
    const runtime = await getRuntime();
    const client = requestClient(await headers(), runtime.config.trustedProxies);
    const signedIn = await completeSetup(runtime.store, runtime.organizationId, input, client);
    await startSession(signedIn, client);
    return { redirectTo: "/" };
  });
}
