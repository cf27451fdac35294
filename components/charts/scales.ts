/**
 * The chart's scales: where the value and time ticks go and how times are labelled. Plain
 * functions, so the drawing (line-chart.tsx) holds no arithmetic of its own.
 */

/** 1, 2 or 5 times a power of ten: the steps people read without effort. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/**
 * The value axis from 0 to `top` (at least a tenth above the largest value, and at least 1),
 * with its ticks: whole numbers in steps of 1, 2 or 5 times a power of ten, at most ~5 of them.
 */
export function valueScale(max: number): { top: number; ticks: number[] } {
  const wanted = Math.max(1, max * 1.1);
  const step = Math.max(1, niceStep(wanted / 4));
  const top = Math.ceil(wanted / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return { top, ticks };
}

/** Time steps a tick may take, in seconds: round minutes, hours and days. */
const TIME_STEPS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 2 * 86_400, 7 * 86_400, 30 * 86_400];

/** The time range shown: the data's, or an hour either side of a single point. */
export function timeRange(x: number[]): [number, number] {
  if (x.length === 0) return [0, 1];
  const min = x[0]!;
  const max = x.at(-1)!;
  return max > min ? [min, max] : [min - 3600, max + 3600];
}

/** Ticks at whole multiples (in UTC) of the smallest step that gives at most `most` of them. */
export function timeTicks(min: number, max: number, most = 6): number[] {
  const span = max - min;
  const step = TIME_STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / 86_400) * 86_400;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  return ticks;
}

const hours = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const days = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** A tick's label as the rest of the console writes times: 24-hour UTC within two days, dates beyond. */
export const timeLabel = (seconds: number, span: number) => (span <= 2 * 86_400 ? hours : days).format(new Date(seconds * 1000));

/** "1.2k" from 1,200; numbers below a thousand as they are. */
export const shortNumber = (v: number) => (Math.abs(v) >= 1000 ? `${(v / 1000).toLocaleString("en-GB", { maximumFractionDigits: 1 })}k` : v.toLocaleString("en-GB"));
