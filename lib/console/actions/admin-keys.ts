"use server";
/** Admin keys (owner powers over the Admin API): owners only. */
import { createAdminKey, listApiKeys, updateApiKey } from "@/lib/services/api-keys";
import { parseListQuery, parseResourceId } from "@/lib/console/action-result";
import { runAs } from "./run-as";

export async function listAdminKeysAction(query: unknown) {
  return runAs("owner", (ctx) => listApiKeys(ctx, { ...parseListQuery(query), kind: "admin" }));
}

/** Returns the secret once; the page shows it and never again. */
export async function createAdminKeyAction(input: unknown) {
  return runAs("owner", (ctx) => {
    const name = input && typeof input === "object" ? (input as { name?: unknown }).name : undefined;
    return createAdminKey(ctx.db, ctx.principal.organizationId, typeof name === "string" ? name : "", { type: "user", id: ctx.user.id, principal: ctx.principal }, ctx.requestId);
  });
}

export async function setAdminKeyStatusAction(id: unknown, status: unknown) {
  return runAs("owner", (ctx) => updateApiKey(ctx, parseResourceId(id), { status }));
}
