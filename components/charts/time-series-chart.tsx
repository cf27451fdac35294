"use client";

/**
 * A small, reusable time-series chart: x as Unix seconds, one named series of numbers per
 * line. Accessible without the drawing: a visible legend with each series' total, an
 * aria-label summing it up, and "Show as table" with every value. The drawing is plain SVG
 * (line-chart.tsx).
 */
import { useId, useMemo, useState } from "react";
import { Button } from "../ui/button";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";

import { LineChart } from "./line-chart";
import type { ChartSeries } from "./types";

/** Distinct at a glance and on the white card (each at least 3:1 against white). */
const COLORS = ["#6d28d9", "#0e7490", "#c2410c", "#15803d", "#be185d", "#52525b"];

const when = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const formatTime = (seconds: number) => `${when.format(new Date(seconds * 1000))} UTC`;
const formatNumber = (n: number) => n.toLocaleString("en-GB");
/** "requests" → "request", for a total of one. */
const singular = (unit: string) => unit.replace(/s$/, "");

/** One sentence a screen reader reads for the chart: what, how much in all, over when, and the largest series. */
export function chartSummary(title: string, unit: string, x: number[], series: ChartSeries[]): string {
  const totals = series.map((s) => ({ label: s.label, total: s.values.reduce((a, b) => a + b, 0) }));
  const all = totals.reduce((a, t) => a + t.total, 0);
  if (x.length === 0 || all === 0) return `${title}: no ${unit} in this range.`;
  const top = [...totals].sort((a, b) => b.total - a.total)[0]!;
  const range = x.length === 1 ? formatTime(x[0]!) : `${formatTime(x[0]!)} to ${formatTime(x.at(-1)!)}`;
  return `${title}: ${formatNumber(all)} ${all === 1 ? singular(unit) : unit} from ${range}; most from ${top.label} (${formatNumber(top.total)}).`;
}

export function TimeSeriesChart({ title, unit, x, series, height = 180 }: { title: string; unit: string; x: number[]; series: ChartSeries[]; height?: number }) {
  const [asTable, setAsTable] = useState(false);
  const tableId = useId();
  const summary = useMemo(() => chartSummary(title, unit, x, series), [title, unit, x, series]);
  const totals = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  return (
    <figure className="min-w-0 space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <figcaption className="text-sm font-semibold text-zinc-900">{title}</figcaption>
        <Button type="button" size="sm" variant="ghost" aria-expanded={asTable} aria-controls={tableId} onClick={() => setAsTable((v) => !v)}>
          {asTable ? "Show as chart" : "Show as table"}
        </Button>
      </div>
      <ul aria-label={`${title}: legend`} className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-700">
        {series.map((s, i) => (
          <li key={`${s.label}-${i}`} className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ backgroundColor: COLORS[i % COLORS.length], height: 3 }} />
            <span>{s.label}</span>
            <span className="text-zinc-500 tabular-nums">{formatNumber(totals[i]!)}</span>
          </li>
        ))}
      </ul>
      {asTable ? (
        <div id={tableId} className="max-h-80 overflow-auto">
          <Table label={`${title} by time`}>
            <THead>
              <tr>
                <TH>Time (UTC)</TH>
                {series.map((s, i) => (
                  <TH key={`${s.label}-${i}`} className="text-right">
                    {s.label}
                  </TH>
                ))}
              </tr>
            </THead>
            <TBody>
              {x.map((t, row) => (
                <TR key={t}>
                  <TD className="whitespace-nowrap">{formatTime(t)}</TD>
                  {series.map((s, i) => (
                    <TD key={`${s.label}-${i}`} className="text-right tabular-nums">
                      {formatNumber(s.values[row] ?? 0)}
                    </TD>
                  ))}
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      ) : (
        <div id={tableId} role="img" aria-label={summary}>
          <LineChart x={x} series={series} colors={COLORS} height={height} unit={unit} />
        </div>
      )}
    </figure>
  );
}
