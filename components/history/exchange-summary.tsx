/**
 * Above the history's list: exchanges over time (granted and denied, the reusable chart) and
 * where they went — denials by reason, exchanges by rule — under the same filters, each row a
 * link that narrows the list to it. What an operator scanning for a broken rollout wants first.
 */
import { TimeSeriesChart } from "../charts/time-series-chart";
import { TextLink } from "../ui/text-link";
import type { AuthEventSummaryDto } from "@/lib/services/history";

/** The history's address with `extra` added to the current filters. */
const narrowed = (filters: Record<string, string>, extra: Record<string, string>) => `/history?${new URLSearchParams({ ...filters, ...extra })}`;

function Bar({ value, max, tone }: { value: number; max: number; tone: "red" | "green" }) {
  return (
    <span aria-hidden="true" className="block h-1.5 rounded bg-zinc-100">
      <span className={tone === "red" ? "block h-1.5 rounded bg-red-600" : "block h-1.5 rounded bg-emerald-600"} style={{ width: `${max ? Math.max(2, (100 * value) / max) : 0}%` }} />
    </span>
  );
}

export function ExchangeSummary({ summary, filters }: { summary: AuthEventSummaryDto; filters: Record<string, string> }) {
  if (summary.x.length === 0) return null;
  const maxReason = Math.max(0, ...summary.byReason.map((r) => r.count));
  const maxRule = Math.max(0, ...summary.byRule.map((r) => r.granted + r.denied));
  return (
    <div className="grid gap-6 p-4 sm:p-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <TimeSeriesChart
        title={`Exchanges per ${summary.bucketSeconds === 60 ? "minute" : summary.bucketSeconds === 600 ? "10 minutes" : summary.bucketSeconds === 3600 ? "hour" : "day"}`}
        unit="exchanges"
        x={summary.x}
        series={[
          { label: "Granted", values: summary.granted },
          { label: "Denied", values: summary.denied },
        ]}
      />
      <div className="min-w-0 space-y-5">
        <section aria-labelledby="by-reason-heading">
          <h3 id="by-reason-heading" className="text-sm font-semibold text-zinc-900">
            Denied, by reason
          </h3>
          {summary.byReason.length === 0 ? (
            <p className="mt-1 text-sm text-zinc-600">No denials.</p>
          ) : (
            <ul className="mt-2 space-y-2" aria-label="Denials by reason">
              {summary.byReason.map((r) => (
                <li key={r.reason} className="text-sm">
                  <span className="flex justify-between gap-3">
                    <TextLink href={narrowed(filters, { outcome: "denied", reason: r.reason })}>{r.title}</TextLink>
                    <span className="tabular-nums text-zinc-700">{r.count}</span>
                  </span>
                  <Bar value={r.count} max={maxReason} tone="red" />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="by-rule-heading">
          <h3 id="by-rule-heading" className="text-sm font-semibold text-zinc-900">
            By rule
          </h3>
          <ul className="mt-2 space-y-2" aria-label="Exchanges by rule">
            {summary.byRule.map((r) => (
              <li key={r.ruleId ?? "none"} className="text-sm">
                <span className="flex justify-between gap-3">
                  {r.ruleId ? <TextLink href={narrowed(filters, { federation_rule_id: r.ruleId })}>{r.name ?? r.ruleId}</TextLink> : <span className="text-zinc-600">No known rule</span>}
                  <span className="tabular-nums text-zinc-700">
                    {r.granted} granted · {r.denied} denied
                  </span>
                </span>
                <Bar value={r.granted + r.denied} max={maxRule} tone={r.denied > r.granted ? "red" : "green"} />
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
