"use client";

/** The gateway's request log: newest first, "Load more" with the page's filters; each row links to its detail, its caller and the exchange behind its token. */
import { PagedTable } from "@/components/lists/paged-table";
import { RelativeTime } from "@/components/history/relative-time";
import type { Column } from "@/components/ui/data-table";
import { TextLink } from "@/components/ui/text-link";
import { listGatewayRequestsAction } from "@/lib/console/actions/gateway";
import type { GatewayRequestDto } from "@/lib/services/gateway-requests";
import type { PageResult } from "@/lib/store/paginate";
import { formatMs, StatusBadge, tokenSummary } from "./request-format";

/** Who made the request: the service account (its token), the API key, or what else presented. */
function Caller({ r }: { r: GatewayRequestDto }) {
  if (r.service_account_id) return <TextLink href={`/service-accounts/${r.service_account_id}`}>{r.service_account_name ?? r.service_account_id}</TextLink>;
  if (r.api_key_id) return <span>API key {r.api_key_name ?? r.api_key_id}</span>;
  if (r.credential_type === "passthrough") return <span>Upstream key …{r.credential_hint}</span>;
  return <span className="text-zinc-600">No valid credential</span>;
}

const COLUMNS: Array<Column<GatewayRequestDto>> = [
  {
    header: "Time",
    cell: (r) => (
      <TextLink href={`/requests/${r.id}`}>
        <RelativeTime iso={r.occurred_at} />
      </TextLink>
    ),
  },
  { header: "Caller", cell: (r) => <Caller r={r} /> },
  { header: "Endpoint", from: "md", cell: (r) => <span className="font-mono text-xs">{`${r.method} ${r.path}`}</span> },
  { header: "Model", from: "sm", cell: (r) => (r.model ? <span className="font-mono text-xs">{r.model}</span> : "—") },
  { header: "Status", cell: (r) => <StatusBadge status={r.status} outcome={r.outcome} /> },
  { header: "Tokens", from: "lg", className: "whitespace-nowrap tabular-nums", cell: (r) => tokenSummary(r) },
  { header: "Duration", from: "lg", className: "tabular-nums", cell: (r) => formatMs(r.duration_ms) },
  {
    header: "Exchange",
    from: "md",
    cell: (r) => (r.exchange_request_id ? <TextLink href={`/history?${new URLSearchParams({ request_id: r.exchange_request_id })}`}>Exchange</TextLink> : "—"),
  },
];

export function RequestList({ initial, filters, version }: { initial: PageResult<GatewayRequestDto>; filters: Record<string, string>; version: string }) {
  return <PagedTable label="Gateway requests" noun="requests" columns={COLUMNS} initial={initial} version={version} query={filters} listAction={listGatewayRequestsAction} />;
}
