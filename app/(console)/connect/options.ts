/** The plain data the guided setup's stepper needs: live issuers, service accounts, workspaces. */
import "server-only";
import type { ConnectOptions } from "@/components/connect/wizard-model";
import { listIssuers } from "@/lib/admin/issuers";
import { listRules } from "@/lib/admin/rules";
import { listServiceAccounts } from "@/lib/admin/service-accounts";
import { listWorkspaces } from "@/lib/admin/workspaces";
import type { ConsoleContext } from "@/lib/console/auth";
import { demoIssuerUrlFor } from "@/lib/providers/demo";
import { httpsUrl } from "@/lib/schemas/issuers";
import type { Runtime } from "@/lib/server/runtime";

export async function connectOptions(ctx: ConsoleContext, runtime: Runtime): Promise<ConnectOptions> {
  const [issuers, accounts, workspaces, rules] = await Promise.all([
    listIssuers(ctx, { limit: "1000" }),
    listServiceAccounts(ctx, { limit: "1000" }),
    listWorkspaces(ctx, { include_default: "true", limit: "1000" }),
    listRules(ctx, { limit: "1000" }),
  ]);
  const demoUrl = demoIssuerUrlFor(runtime.publicUrl);
  return {
    issuers: issuers.data.map((i) => ({ id: i.id, name: i.name, issuer_url: i.issuer_url, jwks_type: i.jwks.type })),
    serviceAccounts: accounts.data.map((s) => ({ id: s.id, name: s.name, role: s.organization_role })),
    workspaces: workspaces.data.sort((a, b) => Number(b.is_default) - Number(a.is_default)).map((w) => ({ id: w.id, name: w.is_default ? `${w.name} (default)` : w.name })),
    ruleNames: rules.data.map((r) => r.name),
    defaultAudience: runtime.config.defaultAudience,
    publicUrl: runtime.publicUrl,
    // The issuer service accepts plain http (loopback only) with the development setting alone.
    demoAvailable: httpsUrl.safeParse(demoUrl).success && (demoUrl.startsWith("https://") || runtime.config.allowInsecureIssuers),
  };
}
