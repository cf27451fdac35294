"use server";
/** Admin keys (owner powers over the Admin API): owners only. */
import { createAdminKey, listApiKeys, updateApiKey } from "@/lib/services/api-keys";
import { actionContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction } from "@/lib/console/action-result";

export async function listAdminKeysAction(query: unknown) {
  return runAction(async () => listApiKeys(await actionContext("owner"), { ...parseListQuery(query), kind: "admin" }));
}

/** Returns the secret once; the page shows it and never again. */
export async function createAdminKeyAction(input: unknown) {
  return runAction(async () => {
    const ctx = await actionContext("owner");
    const name = input && typeof input === "object" ? (input as { name?: unknown }).name : undefined;
    return createAdminKey(ctx.db, ctx.principal.organizationId, typeof name === "string" ? name : "", { type: "user", id: ctx.user.id, principal: ctx.principal }, ctx.requestId);
  });
}

export async function setAdminKeyStatusAction(id: unknown, status: unknown) {
  return runAction(async () => updateApiKey(await actionContext("owner"), parseResourceId(id), { status }));
}
