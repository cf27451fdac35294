import type { Metadata } from "next";
import { byLabel, FiltersCard, resourceOptions } from "@/components/filters/url-filters";
import { readUrlFilters, type SearchParams } from "@/lib/console/url-filters";
import { RequestFilters, type RequestFilterOptions } from "@/components/gateway/request-filters";
import { count } from "@/components/gateway/request-format";
import { RequestList } from "@/components/gateway/request-list";
import { UsageCharts } from "@/components/gateway/usage-charts";
import { Alert } from "@/components/ui/alert";
import { SectionCard } from "@/components/ui/card";
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

const PAGE_SIZE = "25";

async function filterOptions(ctx: ConsoleContext): Promise<RequestFilterOptions> {
  const all = { limit: "1000", include_archived: "true" };
  const [accounts, keys, workspaces] = await Promise.all([listServiceAccounts(ctx, all), listApiKeys(ctx, { limit: "1000" }), listWorkspaces(ctx, { ...all, include_default: "true" })]);
  return {
    serviceAccounts: resourceOptions(accounts.data),
    apiKeys: keys.data.map((k) => ({ value: k.id, label: `${k.name} (…${k.partial_key_hint.slice(-4)})` })).sort(byLabel),
    workspaces: resourceOptions(workspaces.data),
  };
}

/** The gateway's request audit with usage charts; the filters are the page's address. */
export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const { raw, valid, filters, errors, key } = readUrlFilters(await searchParams, GATEWAY_REQUEST_FILTER_KEYS, gatewayRequestFilters);
  const [options, page, byServiceAccount, byModel] = await Promise.all([
    filterOptions(ctx),
    valid ? listGatewayRequests(ctx, { ...filters, limit: PAGE_SIZE }) : null,
    valid ? summarizeGatewayUsageOverTime(ctx, { ...filters, series_by: "service_account" }) : null,
    valid ? summarizeGatewayUsageOverTime(ctx, { ...filters, series_by: "model" }) : null,
  ]);
  return (
    <>
      <PageHeader title="Requests" description="Every Claude API request through the gateway: who made it with which credential, what it called, how it went, and the tokens it used." />
      <div className="space-y-6">
        <FiltersCard id="requests-filters">
          <RequestFilters key={key} values={raw} errors={errors} options={options} />
        </FiltersCard>
        {page && byServiceAccount && byModel ? (
          <>
            <SectionCard id="requests-usage" title="Usage" description={`${count(byServiceAccount.totals.requests, "request")}, ${count(byServiceAccount.totals.tokens, "token")} (input, output and cache) for these filters.`} padded>
              <UsageCharts key={key} byServiceAccount={byServiceAccount} byModel={byModel} />
            </SectionCard>
            <SectionCard id="requests-list" title="Requests" description="Newest first. Open one for its credential chain, tokens and timings.">
              <RequestList key={key} initial={page} filters={filters} version={ctx.requestId ?? ""} />
            </SectionCard>
          </>
        ) : (
          <Alert tone="error">Some filters in the address are not valid. Correct the fields marked above and apply them again.</Alert>
        )}
      </div>
    </>
  );
}
