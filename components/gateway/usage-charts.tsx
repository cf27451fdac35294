"use client";

/** Requests and tokens over time, split by service account or by model (the page's filters applied on the server). */
import { useState } from "react";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { EmptyState } from "@/components/ui/empty-state";
import type { UsageSeriesDto } from "@/lib/services/gateway-requests";

const BUCKET_LABELS: Record<UsageSeriesDto["bucket"], string> = { minute: "per minute", ten_minutes: "per 10 minutes", hour: "per hour", day: "per day" };

export function UsageCharts({ byServiceAccount, byModel, compact = false }: { byServiceAccount?: UsageSeriesDto; byModel: UsageSeriesDto; compact?: boolean }) {
  const [split, setSplit] = useState<"service_account" | "model">(byServiceAccount ? "service_account" : "model");
  const usage = split === "service_account" && byServiceAccount ? byServiceAccount : byModel;
  if (usage.x.length === 0) return <EmptyState title="No requests in this range">Requests through the gateway appear here once workloads call it.</EmptyState>;
  const by = (metric: "requests" | "tokens") => usage.series.map((s) => ({ label: s.label, values: s[metric] }));
  return (
    <div className="space-y-4">
      {byServiceAccount && (
        <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
          <legend className="sr-only">Split the charts by</legend>
          <span aria-hidden="true" className="text-zinc-600">
            Split by
          </span>
          {(
            [
              ["service_account", "Service account"],
              ["model", "Model"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-1.5">
              <input type="radio" name="usage-split" value={value} checked={split === value} onChange={() => setSplit(value)} className="accent-brand-600" />
              {label}
            </label>
          ))}
          <span className="text-zinc-600">· {BUCKET_LABELS[usage.bucket]}, UTC</span>
        </fieldset>
      )}
      <div className={compact ? "grid gap-6" : "grid gap-6 lg:grid-cols-2"}>
        <TimeSeriesChart title="Requests" unit="requests" x={usage.x} series={by("requests")} height={compact ? 140 : 180} />
        {!compact && <TimeSeriesChart title="Tokens" unit="tokens" x={usage.x} series={by("tokens")} />}
      </div>
    </div>
  );
}
