/** The choices the rule form offers: live issuers, live service accounts, live workspaces. */
import "server-only";
import { listIssuers } from "@/lib/services/issuers";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import type { ConsoleContext } from "@/lib/console/auth";

/** One choice in a rule form select. */
export interface Option {
  id: string;
  name: string;
  detail?: string;
}

export async function ruleFormOptions(ctx: ConsoleContext): Promise<{ issuers: Option[]; serviceAccounts: Option[]; workspaces: Option[] }> {
  const [issuers, accounts, workspaces] = await Promise.all([
    listIssuers(ctx, { limit: "1000" }),
    listServiceAccounts(ctx, { limit: "1000" }),
    listWorkspaces(ctx, { include_default: "true", limit: "1000" }),
  ]);
  return {
    issuers: issuers.data.map((i) => ({ id: i.id, name: i.name, detail: i.issuer_url })),
    serviceAccounts: accounts.data.map((s) => ({ id: s.id, name: s.name, detail: s.organization_role })),
    // The default workspace first.
    workspaces: workspaces.data.sort((a, b) => Number(b.is_default) - Number(a.is_default)).map((w) => ({ id: w.id, name: w.is_default ? `${w.name} (default)` : w.name })),
  };
}
