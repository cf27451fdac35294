import type { Metadata } from "next";
import { formatInstant } from "@/components/history/format";
import { OrganizationUpstreamForm, TestConnection, WorkspaceUpstreamForm } from "@/components/gateway/upstream-forms";
import { Alert } from "@/components/ui/alert";
import { CardContent, SectionCard } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Code, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TextLink } from "@/components/ui/text-link";
import { canEdit, pageContext } from "@/lib/console/auth";
import { getRuntime } from "@/lib/runtime";
import { getUpstreamSettings } from "@/lib/services/gateway-upstreams";
import { listWorkspaces } from "@/lib/services/workspaces";

export const metadata: Metadata = { title: "Upstream" };

const SOURCES = { environment: "from the environment", organization: "set here", built_in: "built-in default" } as const;

/** Where the gateway forwards and with which key; admins change it, everyone else reads it. */
export default async function UpstreamPage() {
  const ctx = await pageContext();
  const runtime = await getRuntime();
  const [settings, workspaces] = await Promise.all([getUpstreamSettings({ ...ctx, secrets: runtime.secrets, gateway: runtime.config.gateway }), listWorkspaces(ctx, { include_default: "true", limit: "1000" })]);
  const editable = canEdit(ctx.user);
  const d = settings.default;
  return (
    <>
      <PageHeader title="Upstream" description="Where the gateway forwards Claude API requests, and the API key it sends. Workloads never see this key; they call this server with their short-lived tokens." />
      <div className="space-y-6">
        <SectionCard id="upstream-default" title="Organization default" description="Used by every workspace without an override of its own.">
          <DescriptionList
            items={[
              { label: "Upstream URL", value: <span className="flex flex-wrap items-center gap-x-2"><Code>{d.base_url}</Code><span className="text-sm text-zinc-600">{SOURCES[d.base_url_source]}</span></span> },
              { label: "API key", value: d.api_key_last4 ? <span className="flex flex-wrap items-center gap-x-2"><Code>…{d.api_key_last4}</Code><span className="text-sm text-zinc-600">{d.api_key_source && SOURCES[d.api_key_source]}</span></span> : <span className="text-zinc-600">None: requests cannot be forwarded until one is set</span> },
              { label: "Pass-through of real keys", value: d.allow_passthrough ? "On: clients not yet migrated may use their own upstream key" : "Off" },
              { label: "Last changed", value: d.updated_at ? formatInstant(d.updated_at) : "—" },
            ]}
          />
          <CardContent className="space-y-6 border-t border-zinc-200">
            {editable ? (
              <>
                <OrganizationUpstreamForm settings={d} />
                <div className="space-y-2 border-t border-zinc-200 pt-5">
                  <h3 className="text-sm font-semibold text-zinc-900">Test connection</h3>
                  <p className="text-sm text-zinc-600">Asks the upstream to list its models (<Code>GET /v1/models</Code>) with the stored key.</p>
                  <TestConnection />
                </div>
              </>
            ) : (
              <Alert>Only admins and owners can change the upstream or test it. Your role can read these settings.</Alert>
            )}
          </CardContent>
        </SectionCard>

        <SectionCard id="upstream-workspaces" title="Workspace overrides" description="A workspace may send its requests elsewhere, or with a key of its own (billing, quotas).">
          {settings.workspaces.length === 0 ? (
            <EmptyState title="No overrides">Every workspace uses the organization&apos;s default.</EmptyState>
          ) : (
            <DataTable
              label="Workspace overrides"
              rows={settings.workspaces}
              rowKey={(w) => w.workspace_id}
              columns={[
                { header: "Workspace", cell: (w) => <TextLink href={`/workspaces/${w.workspace_id}`}>{w.workspace_name ?? w.workspace_id}</TextLink> },
                { header: "Upstream URL", cell: (w) => (w.base_url ? <Code>{w.base_url}</Code> : <span className="text-zinc-600">organization&apos;s</span>) },
                { header: "API key", cell: (w) => (w.api_key_last4 ? <Code>…{w.api_key_last4}</Code> : <span className="text-zinc-600">organization&apos;s</span>) },
                { header: "Last changed", from: "md", cell: (w) => formatInstant(w.updated_at) },
                editable && { header: <span className="sr-only">Test</span>, cell: (w) => <TestConnection workspaceId={w.workspace_id} label="Test" /> },
              ]}
            />
          )}
          {editable && workspaces.data.length > 0 && (
            <CardContent className="border-t border-zinc-200">
              <WorkspaceUpstreamForm workspaces={workspaces.data.map((w) => ({ value: w.id, label: w.name }))} />
            </CardContent>
          )}
        </SectionCard>
      </div>
    </>
  );
}
