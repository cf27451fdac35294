"use server";
/** Issuer actions: each checks origin, session and role, then calls one lib/services operation. */
import { archiveIssuer, createIssuer, listIssuersWithHealth, updateIssuer } from "@/lib/services/issuers";
import { parseResourceId } from "@/lib/console/action-result";
import { resourceActions, runAs } from "./run-as";

export const { list: listIssuersAction, create: createIssuerAction, update: updateIssuerAction, archive: archiveIssuerAction } = resourceActions({
  list: listIssuersWithHealth,
  create: createIssuer,
  update: updateIssuer,
  archive: archiveIssuer,
});

export async function resumeIssuerPollingAction(id: unknown) {
  return runAs("admin", (ctx) => updateIssuer(ctx, parseResourceId(id), { jwks_polling_disabled: false }));
}
