/**
 * "Connect a workload": create the issuer, service account and rule of the guided setup in
 * one transaction — all or nothing — through the same operations the Admin API uses.
 */
import { connectWorkload } from "../schemas/connect";
import { assertCanWrite, type AdminContext } from "./context";
import type { IssuerDto, RuleDto, ServiceAccountDto } from "./dto";
import { createIssuer, getIssuer } from "./issuers";
import { parseInput } from "./parse";
import { createRule } from "./rules";
import { createServiceAccount, getServiceAccount } from "./service-accounts";
import { addMembershipIn, findWorkspace } from "./workspaces";

export interface ConnectedWorkload {
  issuer: IssuerDto;
  serviceAccount: ServiceAccountDto;
  rule: RuleDto;
  created: { issuer: boolean; serviceAccount: boolean };
}

export async function connectWorkloadSetup(ctx: AdminContext, input: unknown): Promise<ConnectedWorkload> {
  assertCanWrite(ctx);
  const body = parseInput(connectWorkload, input);
  return ctx.db.transaction().execute(async (trx) => {
    const scoped = { ...ctx, db: trx };
    const issuer = body.issuer.mode === "new" ? await createIssuer(scoped, body.issuer.create, trx) : await getIssuer(scoped, body.issuer.id);
    const serviceAccount =
      body.service_account.mode === "new" ? await createServiceAccount(scoped, body.service_account.create, trx) : await getServiceAccount(scoped, body.service_account.id);
    const rule = await createRule(scoped, { ...body.rule, issuer_id: issuer.id, target: { type: "service_account", service_account_id: serviceAccount.id } }, trx);
    // Exchange requires the service account to be a member of a non-default workspace.
    if (rule.workspace_id) {
      const ws = await findWorkspace(trx, ctx.principal.organizationId, rule.workspace_id);
      if (!ws.is_default) await addMembershipIn(trx, scoped, serviceAccount.id, ws.id, "workspace_developer");
    }
    return { issuer, serviceAccount, rule, created: { issuer: body.issuer.mode === "new", serviceAccount: body.service_account.mode === "new" } };
  });
}
