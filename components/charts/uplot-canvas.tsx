"use client";

/**
 * The uPlot drawing behind TimeSeriesChart, loaded on demand (next/dynamic) so pages without a
 * chart never download uPlot. Draws lines over UTC time, as the console shows every time;
 * the legend, summary and table are TimeSeriesChart's, not uPlot's.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ChartSeries } from "./types";

const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC");

export default function UplotCanvas({ x, series, colors, height, unit }: { x: number[]; series: ChartSeries[]; colors: string[]; height: number; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const format = (v: number) => (Math.abs(v) >= 1000 ? `${(v / 1000).toLocaleString("en-GB", { maximumFractionDigits: 1 })}k` : v.toLocaleString("en-GB"));
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height,
        tzDate: utc,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // One point alone: uPlot widens it by 86,400 "ms" units, which in seconds is years. An hour either side instead.
          x: { time: true, range: (_u, min, max) => (x.length === 1 ? [x[0]! - 3600, x[0]! + 3600] : [min, max]) },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          { stroke: "#52525b", grid: { stroke: "#f4f4f5" }, ticks: { stroke: "#e4e4e7" } },
          { stroke: "#52525b", grid: { stroke: "#f4f4f5" }, ticks: { stroke: "#e4e4e7" }, size: 48, values: (_u, values) => values.map(format), label: unit, labelSize: 18, labelFont: "12px system-ui" },
        ],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 2, points: { show: x.length < 40 } }))],
      },
      [x, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, colors, height, unit]);
  return <div ref={box} data-testid="uplot" className="w-full" />;
}
