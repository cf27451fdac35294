import type { Metadata } from "next";
import { AuditEventList } from "@/components/history/audit-event-list";
import { FiltersCard, resourceOptions } from "@/components/filters/url-filters";
import { readUrlFilters, type SearchParams } from "@/lib/console/url-filters";
import { AuthEventFilters, type FilterOptions } from "@/components/history/auth-event-filters";
import { AuthEventList } from "@/components/history/auth-event-list";
import { ExchangeSummary } from "@/components/history/exchange-summary";
import { ExportLinks } from "@/components/history/export-links";
import { HistoryTabs } from "@/components/history/history-tabs";
import { QueryToggle } from "@/components/lists/query-toggle";
import { HISTORY_PAGE_SIZE } from "@/components/history/page-size";
import { Alert } from "@/components/ui/alert";
import { CardContent, SectionCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditEvents, listAuthEvents, summarizeAuthEvents } from "@/lib/services/history";
import { listIssuers } from "@/lib/services/issuers";
import { listRules } from "@/lib/services/rules";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import { pageContext, type ConsoleContext } from "@/lib/console/auth";
import { DENY_REASONS } from "@/lib/core/deny-reasons";
import { REASON_EXPLANATIONS } from "@/lib/insight/explain-reason";
import { fieldErrors } from "@/lib/schemas/common";
import { authEventFilters } from "@/lib/schemas/history";
import { AUTH_EVENT_FILTER_KEYS } from "@/lib/schemas/vocabulary";

export const metadata: Metadata = { title: "History" };

/** The URL's non-empty parameters, one value each. */
function singleValues(params: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v) out[key] = v;
  }
  return out;
}

export default async function HistoryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = singleValues(await searchParams);
  const tab = params.tab === "changes" ? "changes" : "exchanges";
  return (
    <>
      <PageHeader title="History" description="Every token exchange, granted or denied, with the reason a workload was refused; and every change to the configuration." />
      <HistoryTabs current={tab} />
      {tab === "changes" ? <ConfigurationChanges ctx={ctx} includeRequests={params.requests === "1"} /> : <Exchanges ctx={ctx} params={params} />}
    </>
  );
}

async function filterOptions(ctx: ConsoleContext): Promise<FilterOptions> {
  const all = { limit: "1000", include_archived: "true" };
  const [issuers, rules, accounts, workspaces] = await Promise.all([
    listIssuers(ctx, all),
    listRules(ctx, all),
    listServiceAccounts(ctx, all),
    listWorkspaces(ctx, { ...all, include_default: "true" }),
  ]);
  return {
    reasons: DENY_REASONS.map((r) => ({ value: r, label: REASON_EXPLANATIONS[r].title })),
    issuers: resourceOptions(issuers.data),
    rules: resourceOptions(rules.data),
    serviceAccounts: resourceOptions(accounts.data),
    workspaces: resourceOptions(workspaces.data),
  };
}

async function Exchanges({ ctx, params }: { ctx: ConsoleContext; params: Record<string, string> }) {
  const { raw, valid, filters, errors, key } = readUrlFilters(params, AUTH_EVENT_FILTER_KEYS, authEventFilters);
  const [options, page, summary] = await Promise.all([
    filterOptions(ctx),
    valid ? listAuthEvents(ctx, { ...filters, limit: HISTORY_PAGE_SIZE }) : null,
    valid ? summarizeAuthEvents(ctx, filters) : null,
  ]);
  return (
    <div className="space-y-6">
      <FiltersCard id="history-filters">
        <AuthEventFilters key={key} values={raw} errors={errors} options={options} />
      </FiltersCard>
      {summary && summary.x.length > 0 && (
        <SectionCard id="history-summary" title="Over time" description="Granted and denied exchanges under the filters above; a reason or rule narrows the list to it.">
          <ExchangeSummary summary={summary} filters={filters} />
        </SectionCard>
      )}
      <SectionCard id="history-exchanges" title="Exchanges" description="Newest first. Open one to see why it was denied and what the token claimed." actions={page && <ExportLinks filters={filters} />}>
        {page ? (
          <AuthEventList key={key} initial={page} filters={filters} version={ctx.requestId ?? ""} filtered={Object.keys(filters).length > 0} />
        ) : (
          <CardContent>
            <Alert tone="error">Some filters in the address are not valid. Correct the fields marked above and apply them again.</Alert>
          </CardContent>
        )}
      </SectionCard>
    </div>
  );
}

async function ConfigurationChanges({ ctx, includeRequests }: { ctx: ConsoleContext; includeRequests: boolean }) {
  const filters = { changes_only: includeRequests ? "false" : "true" };
  const page = await listAuditEvents(ctx, { ...filters, limit: HISTORY_PAGE_SIZE });
  return (
    <SectionCard
      id="history-changes"
      title="Configuration changes"
      description="Who created, changed or archived what, and sign-ins, newest first."
      actions={<QueryToggle param="requests" label="Include Admin API requests" checked={includeRequests} />}
    >
      <AuditEventList key={filters.changes_only} initial={page} filters={filters} version={ctx.requestId ?? ""} />
    </SectionCard>
  );
}
