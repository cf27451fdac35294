/** The chart's scales: value ticks in readable steps with headroom, time ticks on round UTC boundaries, one point widened to two hours. */
import { describe, expect, it } from "vitest";
import { shortNumber, timeLabel, timeRange, timeTicks, valueScale } from "./scales";

describe("valueScale", () => {
  it.each([
    { max: 0, top: 1, ticks: [0, 1] },
    { max: 1, top: 2, ticks: [0, 1, 2] },
    { max: 7, top: 8, ticks: [0, 2, 4, 6, 8] },
    { max: 95, top: 150, ticks: [0, 50, 100, 150] },
    { max: 12_345, top: 15_000, ticks: [0, 5000, 10_000, 15_000] },
  ])("$max → 0…$top", ({ max, top, ticks }) => {
    const scale = valueScale(max);
    expect(scale).toEqual({ top, ticks });
    expect(scale.top).toBeGreaterThanOrEqual(max * 1.1);
  });
});

describe("time axis", () => {
  const h = 3600;
  it("widens a single point to an hour either side", () => expect(timeRange([10 * h])).toEqual([9 * h, 11 * h]));
  it("keeps a real range as it is", () => expect(timeRange([h, 5 * h])).toEqual([h, 5 * h]));

  it.each([
    { name: "a day in hours: every 6 h at most 6 ticks", min: 0, max: 24 * h, step: 6 * h },
    { name: "an hour: every 15 min", min: 0, max: h, step: 900 },
    { name: "a month: weekly", min: 0, max: 30 * 86_400, step: 7 * 86_400 },
  ])("$name", ({ min, max, step }) => {
    const ticks = timeTicks(min, max);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) {
      expect(t % step).toBe(0);
      expect(t).toBeGreaterThanOrEqual(min);
      expect(t).toBeLessThanOrEqual(max);
    }
  });

  it("labels in UTC: hours within two days, dates beyond", () => {
    expect(timeLabel(13 * h, 86_400)).toBe("13:00");
    expect(timeLabel(86_400 * 3, 10 * 86_400)).toBe("4 Jan");
  });

  it("shortens thousands", () => {
    expect(shortNumber(950)).toBe("950");
    expect(shortNumber(1200)).toBe("1.2k");
  });
});
