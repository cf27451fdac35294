"use server";
/** The signed-in user's own second factor: set up, confirm, remove. Allowed while an owner's policy asks them to set one up. */
import { actionContext } from "@/lib/console/auth";
import { runAction } from "@/lib/console/action-result";
import { beginTotpEnrolment, confirmTotpEnrolment, removeOwnSecondFactor } from "@/lib/console/second-factor";
import { getRuntime } from "@/lib/runtime";

export async function beginTotpAction() {
  return runAction(async () => {
    const ctx = await actionContext("viewer", { duringEnrolment: true });
    return beginTotpEnrolment(ctx.db, (await getRuntime()).secrets, ctx.user);
  });
}

export async function confirmTotpAction(input: unknown) {
  return runAction(async () => {
    const ctx = await actionContext("viewer", { duringEnrolment: true });
    return confirmTotpEnrolment(ctx.db, (await getRuntime()).secrets, ctx.user, input);
  });
}

/** Needs a current code or a recovery code (second-factor.ts: a session alone is not enough). */
export async function removeTotpAction(input: unknown) {
  return runAction(async () => {
    const ctx = await actionContext("viewer", { duringEnrolment: true });
    const runtime = await getRuntime();
    await removeOwnSecondFactor(runtime.store, runtime.secrets, ctx.user, input);
    return null;
  });
}
