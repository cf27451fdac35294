"use server";
/**
 * Checking a form's input before it is submitted, with the schema its operation parses with
 * (lib/console/form-checks.ts). It reads and changes nothing, so any signed-in user may ask;
 * the sign-in and setup forms' checks only need the console's own origin.
 */
import { actionContext, assertSameOrigin } from "@/lib/console/auth";
import { runAction, type ActionResult } from "@/lib/console/action-result";
import { filledSignedOut, formNamed, formProblems } from "@/lib/console/form-checks";

/** The input's problems as API field path → message; empty when the operation would accept its shape. */
export async function checkFormAction(form: unknown, input: unknown): Promise<ActionResult<Record<string, string>>> {
  return runAction(async () => {
    const name = formNamed(form);
    if (filledSignedOut(name)) await assertSameOrigin();
    else await actionContext("viewer", { duringEnrolment: true });
    return formProblems(name, input);
  });
}
