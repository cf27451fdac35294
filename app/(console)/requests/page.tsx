import type { Metadata } from "next";
import type { Option } from "@/components/history/auth-event-filters";
import { RequestFilters, type RequestFilterOptions } from "@/components/gateway/request-filters";
import { count } from "@/components/gateway/request-format";
import { RequestList } from "@/components/gateway/request-list";
import { UsageCharts } from "@/components/gateway/usage-charts";
import { Alert } from "@/components/ui/alert";
import { CardContent, SectionCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext, type ConsoleContext } from "@/lib/console/auth";
import { gatewayRequestFilters } from "@/lib/schemas/gateway";
import { GATEWAY_REQUEST_FILTER_KEYS } from "@/lib/schemas/vocabulary";
import { fieldErrors } from "@/lib/schemas/common";
import { listApiKeys } from "@/lib/services/api-keys";
import { listGatewayRequests, summarizeGatewayUsageOverTime } from "@/lib/services/gateway-requests";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";

export const metadata: Metadata = { title: "Requests" };

type SearchParams = Record<string, string | string[] | undefined>;

const PAGE_SIZE = "25";

const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label);
const option = (r: { id: string; name: string; archived_at?: string | null }): Option => ({ value: r.id, label: r.archived_at ? `${r.name} (archived)` : r.name });

async function filterOptions(ctx: ConsoleContext): Promise<RequestFilterOptions> {
  const all = { limit: "1000", include_archived: "true" };
  const [accounts, keys, workspaces] = await Promise.all([listServiceAccounts(ctx, all), listApiKeys(ctx, { limit: "1000" }), listWorkspaces(ctx, { ...all, include_default: "true" })]);
  return {
    serviceAccounts: accounts.data.map(option).sort(byLabel),
    apiKeys: keys.data.map((k) => ({ value: k.id, label: `${k.name} (…${k.partial_key_hint.slice(-4)})` })).sort(byLabel),
    workspaces: workspaces.data.map(option).sort(byLabel),
  };
}

/** The gateway's request audit with usage charts; the filters are the page's address. */
export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const raw: Record<string, string> = {};
  for (const key of GATEWAY_REQUEST_FILTER_KEYS) {
    const v = params[key];
    const value = Array.isArray(v) ? v[0] : v;
    if (value) raw[key] = value;
  }
  const parsed = gatewayRequestFilters.safeParse(raw);
  const filters: Record<string, string> = parsed.success ? Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])) : {};
  const [options, page, byServiceAccount, byModel] = await Promise.all([
    filterOptions(ctx),
    parsed.success ? listGatewayRequests(ctx, { ...filters, limit: PAGE_SIZE }) : null,
    parsed.success ? summarizeGatewayUsageOverTime(ctx, { ...filters, series_by: "service_account" }) : null,
    parsed.success ? summarizeGatewayUsageOverTime(ctx, { ...filters, series_by: "model" }) : null,
  ]);
  // Remount the form and the list when the URL's filters change, so both start from the URL.
  const filterKey = new URLSearchParams(raw).toString();
  return (
    <>
      <PageHeader title="Requests" description="Every Claude API request through the gateway: who made it with which credential, what it called, how it went, and the tokens it used." />
      <div className="space-y-6">
        <SectionCard id="requests-filters" title="Filters" description="Part of the page address: bookmark or share it to share this view.">
          <CardContent>
            <RequestFilters key={filterKey} values={raw} errors={parsed.success ? {} : fieldErrors(parsed.error)} options={options} />
          </CardContent>
        </SectionCard>
        {page && byServiceAccount && byModel ? (
          <>
            <SectionCard id="requests-usage" title="Usage" description={`${count(byServiceAccount.totals.requests, "request")}, ${count(byServiceAccount.totals.tokens, "token")} (input, output and cache) for these filters.`}>
              <CardContent>
                <UsageCharts key={filterKey} byServiceAccount={byServiceAccount} byModel={byModel} />
              </CardContent>
            </SectionCard>
            <SectionCard id="requests-list" title="Requests" description="Newest first. Open one for its credential chain, tokens and timings.">
              <RequestList key={filterKey} initial={page} filters={filters} version={ctx.requestId ?? ""} />
            </SectionCard>
          </>
        ) : (
          <Alert tone="error">Some filters in the address are not valid. Correct the fields marked above and apply them again.</Alert>
        )}
      </div>
    </>
  );
}
