"use server";
/** Guided-setup actions: each checks origin, session and role (admin), then calls one service. */
import { connectWorkloadSetup } from "@/lib/services/connect-workload";
import { actionContext } from "@/lib/console/auth";
import { runAction } from "@/lib/console/action-result";
import { getRuntime } from "@/lib/runtime";
import { checkIssuerKeys } from "../check-issuer";

/** Fetch and describe an issuer's keys through the SSRF guard (rate-limited). */
export async function checkIssuerKeysAction(input: unknown) {
  return runAction(async () => checkIssuerKeys(await actionContext("admin"), await getRuntime(), input));
}

/** Create issuer, service account and rule together; only the IDs cross back. */
export async function connectWorkloadAction(input: unknown) {
  return runAction(async () => {
    const done = await connectWorkloadSetup(await actionContext("admin"), input);
    return { ruleId: done.rule.id, issuerId: done.issuer.id, serviceAccountId: done.serviceAccount.id, created: done.created };
  });
}
