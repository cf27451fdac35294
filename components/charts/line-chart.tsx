/**
 * The drawing behind TimeSeriesChart: lines over UTC time as plain SVG, with the axis labels
 * in HTML beside it. It replaced uPlot (~22 kB gzipped, loaded on every visit to History),
 * which kept History over the page-weight budget; this is a few hundred bytes and needs no
 * measuring: the plot stretches to its box (`preserveAspectRatio="none"`) while lines and
 * points keep their width (`vector-effect: non-scaling-stroke`).
 */
import { cn } from "../ui/cn";
import type { ChartSeries } from "./types";
import { shortNumber, timeLabel, timeRange, timeTicks, valueScale } from "./scales";

/** The plot's own coordinates; the SVG stretches them to the box. */
const W = 1000;
const H = 100;

export function LineChart({ x, series, colors, height, unit }: { x: number[]; series: ChartSeries[]; colors: string[]; height: number; unit: string }) {
  const [min, max] = timeRange(x);
  const { top, ticks } = valueScale(Math.max(0, ...series.flatMap((s) => s.values)));
  const px = (t: number) => ((t - min) / (max - min)) * W;
  const py = (v: number) => H - (v / top) * H;
  const times = timeTicks(min, max);
  const pct = (part: number, whole: number) => `${(part / whole) * 100}%`;
  return (
    <div data-testid="chart" className="flex w-full text-[11px] text-zinc-600 tabular-nums" style={{ height }}>
      {/* The value axis: its unit, then the tick labels at their heights. */}
      <div className="relative w-12 shrink-0" style={{ marginBottom: 20 }}>
        <span className="absolute top-1/2 left-0 -translate-x-1/4 -translate-y-1/2 -rotate-90 text-xs whitespace-nowrap">{unit}</span>
        {ticks.map((v) => (
          <span key={v} className="absolute right-1.5 -translate-y-1/2" style={{ top: pct(top - v, top) }}>
            {shortNumber(v)}
          </span>
        ))}
      </div>
      <div className="relative min-w-0 flex-1" style={{ marginBottom: 20 }}>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true" className="absolute inset-0 h-full w-full overflow-visible">
          {ticks.map((v) => (
            <line key={v} x1={0} x2={W} y1={py(v)} y2={py(v)} stroke="#e4e4e7" vectorEffect="non-scaling-stroke" />
          ))}
          {series.map((s, i) => {
            const color = colors[i % colors.length];
            const points = x.map((t, j) => [px(t), py(s.values[j] ?? 0)] as const);
            return (
              <g key={`${s.label}-${i}`} stroke={color} fill="none" vectorEffect="non-scaling-stroke">
                {points.length > 1 && <polyline points={points.map((p) => p.join(",")).join(" ")} strokeWidth={2} strokeLinejoin="round" vectorEffect="non-scaling-stroke" />}
                {/* A zero-length line with round caps is a dot that stays round however the plot stretches. */}
                {points.length < 40 && points.map(([cx, cy], j) => <line key={j} x1={cx} x2={cx} y1={cy} y2={cy} strokeWidth={6} strokeLinecap="round" vectorEffect="non-scaling-stroke" />)}
              </g>
            );
          })}
        </svg>
        {times.map((t) => (
          // Centred under its tick, except near the right end, where it ends at the tick so it never leaves the card.
          <span key={t} className={cn("absolute whitespace-nowrap", (t - min) / (max - min) > 0.9 ? "-translate-x-full" : "-translate-x-1/2")} style={{ left: pct(t - min, max - min), top: "100%", marginTop: 4 }}>
            {timeLabel(t, max - min)}
          </span>
        ))}
      </div>
    </div>
  );
}
