import type { Metadata } from "next";
import { CreateApiKey } from "@/components/api-keys/create-key";
import { KeyList } from "@/components/api-keys/key-list";
import { SectionCard } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/components/resources/format";
import { listApiKeys, listExpiringApiKeys } from "@/lib/services/api-keys";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const ctx = await pageContext();
  const editable = canEdit(ctx.user);
  const [keys, expiring, workspaces, accounts] = await Promise.all([
    listApiKeys(ctx, { kind: "api", limit: "20" }),
    listExpiringApiKeys(ctx),
    listWorkspaces(ctx, { include_default: "true", include_archived: "true", limit: "1000" }),
    listServiceAccounts(ctx, { limit: "1000" }),
  ]);
  const live = workspaces.data.filter((w) => !w.archived_at).sort((a, b) => Number(b.is_default) - Number(a.is_default));
  return (
    <>
      <PageHeader
        title="API keys"
        description="Static, workspace-scoped keys (sk-ant-api03-…). They keep working alongside federation, so workloads can move over one at a time; prefer a rule for anything that can present an identity token."
      />
      <div className="space-y-6">
        {expiring.length > 0 && (
          <Alert tone="warning" title={expiring.length === 1 ? "An API key expires within a week" : `${expiring.length} API keys expire within a week`}>
            <p>Requests with an expired key are refused. Create replacements and move their workloads over, or better, give them a federation rule.</p>
            <ul className="mt-2 list-disc space-y-0.5 pl-5">
              {expiring.map((key) => (
                <li key={key.id}>
                  <span className="font-medium">{key.name}</span> <span className="font-mono text-xs">{key.partial_key_hint}</span> — expires {formatDateTime(key.expires_at)}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {editable && (
          <SectionCard id="new-key" title="Create an API key" description="The key is shown once, right after it is created." padded>
            <CreateApiKey workspaces={live.map((w) => ({ id: w.id, name: w.is_default ? `${w.name} (default)` : w.name }))} serviceAccounts={accounts.data.map((s) => ({ id: s.id, name: s.name }))} />
          </SectionCard>
        )}
        <SectionCard id="key-list" title="Keys">
          {keys.data.length === 0 ? (
            <EmptyState title="No API keys">Workloads that can present an OIDC token need none: give them a rule instead.</EmptyState>
          ) : (
            <KeyList kind="api" initial={keys} version={ctx.requestId ?? ""} editable={editable} workspaceNames={Object.fromEntries(workspaces.data.map((w) => [w.id, w.name]))} />
          )}
        </SectionCard>
      </div>
    </>
  );
}
