"use server";
/** Issuer actions: each checks origin, session and role, then calls one lib/services operation. */
import { archiveIssuer, createIssuer, listIssuers, updateIssuer } from "@/lib/services/issuers";
import { actionContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction } from "@/lib/console/action-result";

export async function listIssuersAction(query: unknown) {
  return runAction(async () => listIssuers(await actionContext("viewer"), parseListQuery(query)));
}

export async function createIssuerAction(input: unknown) {
  return runAction(async () => createIssuer(await actionContext("admin"), input));
}

export async function updateIssuerAction(id: unknown, input: unknown) {
  return runAction(async () => updateIssuer(await actionContext("admin"), parseResourceId(id), input));
}

export async function resumeIssuerPollingAction(id: unknown) {
  return runAction(async () => updateIssuer(await actionContext("admin"), parseResourceId(id), { jwks_polling_disabled: false }));
}

export async function archiveIssuerAction(id: unknown) {
  return runAction(async () => archiveIssuer(await actionContext("admin"), parseResourceId(id)));
}
