/**
 * "Connect a workload": create the issuer, service account and rule of the guided setup in
 * one transaction — all or nothing — through the same operations the Admin API uses.
 */
import { ApiError } from "../core/errors";
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

/**
 * Run one part of the setup so that its errors name their field under that part, as the
 * request schema does (`issuer.create.name`, `rule.match`): the guided setup shows each
 * error at the step it concerns.
 */
async function within<T>(part: string, fallbackField: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.field) throw new ApiError(err.status, `${part}.${err.message}`, `${part}.${err.field}`);
    throw new ApiError(err.status, err.message, `${part}.${fallbackField}`);
  }
}

export async function connectWorkloadSetup(ctx: AdminContext, input: unknown): Promise<ConnectedWorkload> {
  assertCanWrite(ctx);
  const body = parseInput(connectWorkload, input);
  return ctx.db.transaction().execute(async (trx) => {
    const scoped = { ...ctx, db: trx };
    const { issuer: i, service_account: sa } = body;
    const issuer = i.mode === "new" ? await within("issuer.create", "name", () => createIssuer(scoped, i.create, trx)) : await within("issuer", "id", () => getIssuer(scoped, i.id));
    const serviceAccount =
      sa.mode === "new"
        ? await within("service_account.create", "name", () => createServiceAccount(scoped, sa.create, trx))
        : await within("service_account", "id", () => getServiceAccount(scoped, sa.id));
    const rule = await within("rule", "match", () => createRule(scoped, { ...body.rule, issuer_id: issuer.id, target: { type: "service_account", service_account_id: serviceAccount.id } }, trx));
    // Exchange requires the service account to be a member of a non-default workspace.
    if (rule.workspace_id) {
      const ws = await findWorkspace(trx, ctx.principal.organizationId, rule.workspace_id);
      if (!ws.is_default) await addMembershipIn(trx, scoped, serviceAccount.id, ws.id, "workspace_developer");
    }
    return { issuer, serviceAccount, rule, created: { issuer: body.issuer.mode === "new", serviceAccount: body.service_account.mode === "new" } };
  });
}
