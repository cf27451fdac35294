/** The pooled random source: bytes handed out once, never changed by a later refill. */
import { describe, expect, it } from "vitest";
import { randomBytesPooled } from "./random";

describe("randomBytesPooled", () => {
  it("hands out distinct bytes across pool refills, unchanged after the pool is refilled", () => {
    const first = randomBytesPooled(32);
    const copy = Buffer.from(first);
    const seen = new Set<string>([first.toString("hex")]);
    // 4 KiB pool, 32 bytes each: 1,000 draws refill it several times.
    for (let i = 0; i < 1000; i++) seen.add(randomBytesPooled(32).toString("hex"));
    expect(seen.size).toBe(1001);
    expect(first.equals(copy)).toBe(true);
  });

  it("returns exactly the size asked for, small or larger than the pool hands out", () => {
    expect([1, 16, 32, 1024, 5000].map((n) => randomBytesPooled(n).length)).toEqual([1, 16, 32, 1024, 5000]);
  });
});
