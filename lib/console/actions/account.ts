"use server";
/** The signed-in user's own second factor: set up, confirm, remove. Allowed while an owner's policy asks them to set one up. */
import { actionContext, userPrincipal } from "@/lib/console/auth";
import { runAction } from "@/lib/console/action-result";
import { beginTotpEnrolment, confirmTotpEnrolment, removeSecondFactor } from "@/lib/console/second-factor";
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

export async function removeTotpAction() {
  return runAction(async () => {
    const ctx = await actionContext("viewer", { duringEnrolment: true });
    await removeSecondFactor(ctx.db, userPrincipal(ctx.user), ctx.user.organizationId, ctx.user.id);
    return null;
  });
}
