/** The plain data the guided setup's stepper needs: live issuers, service accounts, workspaces. */
import "server-only";
import type { KeyMode } from "@/lib/providers/preset";
import { listIssuers } from "@/lib/services/issuers";
import { listRules } from "@/lib/services/rules";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import type { ConsoleContext } from "@/lib/console/auth";
import { demoIssuerUrlFor } from "@/lib/providers/demo";
import { httpsUrl } from "@/lib/schemas/issuers";
import type { Runtime } from "@/lib/runtime";

/** What the page hands the stepper: plain DTOs, nothing else. */
export interface ConnectOptions {
  issuers: Array<{ id: string; name: string; issuer_url: string; jwks_type: KeyMode }>;
  serviceAccounts: Array<{ id: string; name: string; role: "admin" | "developer" }>;
  /** Live workspaces, the default one first. */
  workspaces: Array<{ id: string; name: string }>;
  ruleNames: string[];
  defaultAudience: string;
  publicUrl: string;
  /** Whether this server may register its own demo issuer (https, or the development setting). */
  demoAvailable: boolean;
}

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
