import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter, tooManyAttemptsMessage } from "./rate-limit";

const MIN = 60_000;

function limiter(limit = 3, windowMs = 15 * MIN) {
  let now = 1_000_000;
  const l = new SlidingWindowLimiter({ limit, windowMs, now: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

describe("SlidingWindowLimiter", () => {
  it("allows up to the limit inside the window, then refuses with the time until a slot frees", () => {
    const { l, advance } = limiter(3);
    for (let i = 0; i < 3; i++) {
      expect(l.check("a").allowed).toBe(true);
      l.record("a");
      advance(MIN);
    }
    const refused = l.check("a");
    expect(refused.allowed).toBe(false);
    // The first attempt was 3 minutes ago; it leaves the 15-minute window in 12.
    expect(refused.allowed === false && refused.retryAfterMs).toBe(12 * MIN);
  });

  it("slides: old attempts stop counting once they leave the window", () => {
    const { l, advance } = limiter(2, 10 * MIN);
    l.record("a");
    advance(6 * MIN);
    l.record("a");
    expect(l.check("a").allowed).toBe(false);
    advance(4 * MIN + 1);
    expect(l.check("a").allowed).toBe(true);
    l.record("a");
    expect(l.check("a").allowed).toBe(false);
  });

  it("keeps keys apart and forgets a key on reset", () => {
    const { l } = limiter(1);
    l.record("a");
    expect(l.check("a").allowed).toBe(false);
    expect(l.check("b").allowed).toBe(true);
    l.reset("a");
    expect(l.check("a").allowed).toBe(true);
  });

  it("bounds memory by dropping the least recently used keys", () => {
    let now = 0;
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: MIN, now: () => now, maxKeys: 2 });
    l.record("a");
    l.record("b");
    l.record("c");
    expect(l.check("a").allowed).toBe(true);
    expect(l.check("c").allowed).toBe(false);
  });

  it("words the refusal in whole minutes", () => {
    expect(tooManyAttemptsMessage(1)).toBe("Too many attempts, try again in 1 minute");
    expect(tooManyAttemptsMessage(12 * MIN + 1)).toBe("Too many attempts, try again in 13 minutes");
  });
});
