"use server";
/** API key actions: each checks origin, session and role, then calls one lib/services operation. */
import { createApiKey, listApiKeys, updateApiKey } from "@/lib/services/api-keys";
import { parseListQuery, parseResourceId } from "@/lib/console/action-result";
import { runAs } from "./run-as";

export async function listApiKeysAction(query: unknown) {
  return runAs("viewer", (ctx) => listApiKeys(ctx, { ...parseListQuery(query), kind: "api" }));
}

/** Returns the secret once; the page shows it and never again. */
export async function createApiKeyAction(input: unknown) {
  return runAs("admin", (ctx) => createApiKey(ctx, input));
}

export async function setApiKeyStatusAction(id: unknown, status: unknown) {
  return runAs("admin", (ctx) => updateApiKey(ctx, parseResourceId(id), { status }));
}
