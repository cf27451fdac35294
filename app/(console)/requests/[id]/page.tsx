import type { Metadata } from "next";
import type { ReactNode } from "react";
import { formatInstant } from "@/components/history/format";
import { RelativeTime } from "@/components/history/relative-time";
import { formatBytes, formatMs, outcomeLabel, StatusBadge } from "@/components/gateway/request-format";
import { Badge } from "@/components/ui/badge";
import { SectionCard } from "@/components/ui/card";
import { Code, CopyableCode, DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { TextLink } from "@/components/ui/text-link";
import { pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";
import { getGatewayRequest, type GatewayRequestDetailDto } from "@/lib/services/gateway-requests";

export const metadata: Metadata = { title: "Request" };

const dash = <span className="text-zinc-600">—</span>;

function Ref({ href, name, id }: { href: string; name: string | null; id: string | null }): ReactNode {
  if (!id) return dash;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      <TextLink href={`${href}${id}`}>{name ?? id}</TextLink>
      {name && <Code>{id}</Code>}
    </span>
  );
}

const CREDENTIALS: Record<string, string> = {
  access_token: "Federated access token",
  api_key: "API key of this server",
  admin_key: "Admin key (refused)",
  passthrough: "Upstream key passed through",
  none: "None or not valid",
};

/** The credential chain: token → exchange → rule → service account → federated subject; or the API key. */
function chainItems(r: GatewayRequestDetailDto) {
  const items: Array<{ label: string; value: ReactNode }> = [{ label: "Credential", value: CREDENTIALS[r.credential_type] ?? r.credential_type }];
  if (r.credential_type === "access_token" || r.access_token_id) {
    items.push(
      { label: "Token", value: r.access_token_id ? <Code>{r.access_token_id}</Code> : dash },
      {
        label: "Exchange that minted it",
        value: r.exchange_event_id ? (
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <TextLink href={`/history/${r.exchange_event_id}`}>History entry</TextLink>
            <Code>{r.exchange_request_id}</Code>
          </span>
        ) : r.exchange_request_id ? (
          <TextLink href={`/history?${new URLSearchParams({ request_id: r.exchange_request_id })}`}>{r.exchange_request_id}</TextLink>
        ) : (
          dash
        ),
      },
      { label: "Rule", value: <Ref href="/rules/" name={r.federation_rule_name} id={r.federation_rule_id} /> },
      { label: "Service account", value: <Ref href="/service-accounts/" name={r.service_account_name} id={r.service_account_id} /> },
      { label: "Federated subject", value: r.subject ? <Code>{r.subject}</Code> : dash },
    );
  }
  if (r.api_key_id) items.push({ label: "API key", value: <span className="flex flex-wrap items-center gap-x-2">{r.api_key_name ?? r.api_key_id} {r.api_key_name && <Code>{r.api_key_id}</Code>}</span> });
  if (r.credential_hint) items.push({ label: "Key ends in", value: <Code>…{r.credential_hint}</Code> });
  items.push({ label: "Workspace", value: <Ref href="/workspaces/" name={r.workspace_name} id={r.workspace_id} /> });
  return items;
}

const num = (v: number | null) => (v === null ? dash : v.toLocaleString("en-GB"));

export default async function GatewayRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const r = await orNotFound(getGatewayRequest(ctx, (await params).id));
  return (
    <>
      <PageHeader
        title={`${r.method} ${r.path}`}
        back={{ href: "/requests", label: "Requests" }}
        meta={
          <>
            <StatusBadge status={r.status} outcome={r.outcome} />
            {r.streamed && <Badge tone="blue">streamed</Badge>}
            <span className="text-sm text-zinc-600">
              <RelativeTime iso={r.occurred_at} />
            </span>
          </>
        }
      />
      <div className="space-y-6">
        <SectionCard id="request-summary" title="Request">
          <DescriptionList
            items={[
              { label: "Time", value: formatInstant(r.occurred_at) },
              { label: "Request ID", value: <CopyableCode value={r.request_id} context="request ID" /> },
              { label: "Upstream request ID", value: r.upstream_request_id ? <CopyableCode value={r.upstream_request_id} context="upstream request ID" /> : dash },
              { label: "Endpoint", value: <Code>{`${r.method} ${r.path}`}</Code> },
              { label: "Path family", value: <Code>{r.path_family}</Code> },
              { label: "Model", value: r.model ? <Code>{r.model}</Code> : dash },
              { label: "Outcome", value: `${r.status} · ${outcomeLabel(r.outcome)}${r.reason ? ` (${r.reason})` : ""}` },
            ]}
          />
        </SectionCard>
        <SectionCard id="request-credential" title="Who made it" description="The credential chain, from the token presented back to the workload's federated identity.">
          <DescriptionList items={chainItems(r)} />
        </SectionCard>
        <SectionCard id="request-usage" title="Tokens and timings" description="Read from the upstream's reply as it passed; never the prompt or the completion.">
          <DescriptionList
            items={[
              { label: "Input tokens", value: num(r.input_tokens) },
              { label: "Output tokens", value: num(r.output_tokens) },
              { label: "Cache write tokens", value: num(r.cache_creation_input_tokens) },
              { label: "Cache read tokens", value: num(r.cache_read_input_tokens) },
              { label: "Time to first byte", value: formatMs(r.ttfb_ms) },
              { label: "Duration", value: formatMs(r.duration_ms) },
              { label: "Bytes", value: `${formatBytes(r.request_bytes)} sent · ${formatBytes(r.response_bytes)} received` },
              ...(r.outcome === "incomplete" ? [{ label: "Incomplete", value: <Badge tone="amber">The reply ended early: the client got a truncated response</Badge> }] : []),
            ]}
          />
        </SectionCard>
      </div>
    </>
  );
}
