"use server";
/**
 * The second factor of a sign-in and first-run setup: public POST endpoints, so each checks
 * origin and input itself. (The password step is answered before Next: lib/server/password-sign-in.ts.)
 */
import { cookies, headers } from "next/headers";
import { assertSameOrigin } from "@/lib/console/auth";
import { runAction, type ActionResult } from "@/lib/console/action-result";
import { requestClient } from "@/lib/console/request";
import { completeSecondFactor, SECOND_FACTOR_COOKIE } from "@/lib/console/second-factor";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/console/session";
import { completeSetup, type SignedIn } from "@/lib/console/sign-in";
import { getRuntime } from "@/lib/runtime";
import type { RequestClient } from "@/lib/services/forwarded";

async function startSession(signedIn: SignedIn, client: RequestClient): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, signedIn.sessionId, sessionCookieOptions({ secure: client.https, expiresAt: signedIn.expiresAt }));
}

/** The second step: a TOTP or recovery code; the session starts only when it checks out. */
export async function secondFactorAction(input: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  return runAction(async () => {
    await assertSameOrigin();
    const runtime = await getRuntime();
    const client = requestClient(await headers(), runtime.config.trustedProxies);
    const jar = await cookies();
    const signedIn = await completeSecondFactor(runtime.store, runtime.secrets, runtime.organizationId, jar.get(SECOND_FACTOR_COOKIE)?.value, input, client);
    jar.delete({ name: SECOND_FACTOR_COOKIE, path: "/" });
    await startSession(signedIn, client);
    return { redirectTo: signedIn.returnTo };
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
