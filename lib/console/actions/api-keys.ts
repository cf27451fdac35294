"use server";
/** API key actions: each checks origin, session and role, then calls one lib/services operation. */
import { createApiKey, listApiKeys, updateApiKey } from "@/lib/services/api-keys";
import { actionContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction } from "@/lib/console/action-result";

export async function listApiKeysAction(query: unknown) {
  return runAction(async () => listApiKeys(await actionContext("viewer"), { ...parseListQuery(query), kind: "api" }));
}

/** Returns the secret once; the page shows it and never again. */
export async function createApiKeyAction(input: unknown) {
  return runAction(async () => createApiKey(await actionContext("admin"), input));
}

export async function setApiKeyStatusAction(id: unknown, status: unknown) {
  return runAction(async () => updateApiKey(await actionContext("admin"), parseResourceId(id), { status }));
}
