"use server";
/** Guided-setup actions: each checks origin, session and role (admin), then calls one service. */
import { connectWorkloadSetup } from "@/lib/services/connect-workload";
import { getRuntime } from "@/lib/runtime";
import { checkIssuerKeys } from "../check-issuer";
import { runAs } from "./run-as";

/** Fetch and describe an issuer's keys through the SSRF guard (rate-limited). */
export async function checkIssuerKeysAction(input: unknown) {
  return runAs("admin", async (ctx) => checkIssuerKeys(ctx, await getRuntime(), input));
}

/** Create issuer, service account and rule together; only the IDs cross back. */
export async function connectWorkloadAction(input: unknown) {
  return runAs("admin", async (ctx) => {
    const done = await connectWorkloadSetup(ctx, input);
    return { ruleId: done.rule.id, issuerId: done.issuer.id, serviceAccountId: done.serviceAccount.id, created: done.created };
  });
}
