/** Every deny reason has a plain-words explanation; an unknown code is still shown safely. */
import { describe, expect, it } from "vitest";
import { DENY_REASONS, ExchangeDenied, REQUEST_ERROR_REASONS, ensure } from "../core/deny-reasons";
import { explainReason, REASON_EXPLANATIONS } from "./explain-reason";

describe("explainReason", () => {
  it.each(DENY_REASONS)("explains %s with a title, what happened and a fix", (reason) => {
    const e = explainReason(reason);
    expect(e).toBe(REASON_EXPLANATIONS[reason]);
    expect(e.title.length).toBeGreaterThan(3);
    expect(e.explanation.length).toBeGreaterThan(20);
    expect(e.fix.length).toBeGreaterThan(20);
    expect(["request", "token", "configuration"]).toContain(e.side);
  });

  it("explains exactly the closed set of reasons", () => {
    expect(Object.keys(REASON_EXPLANATIONS).sort()).toEqual([...DENY_REASONS].sort());
  });

  it("falls back to a generic entry for a code this version does not know, naming it", () => {
    expect(explainReason("quantum_flux")).toMatchObject({ title: "quantum_flux", side: "configuration" });
    // Not a prototype lookup either.
    expect(explainReason("constructor").title).toBe("constructor");
    expect(explainReason("__proto__").title).toBe("__proto__");
  });

  it("marks only malformed requests as request errors (400), everything else is an opaque 401", () => {
    expect([...REQUEST_ERROR_REASONS].sort()).toEqual(["assertion_too_large", "invalid_request"]);
  });
});

describe("ensure", () => {
  it("throws an ExchangeDenied carrying the reason and the detail", () => {
    expect(() => ensure(false, "jti_reused", "jti abc")).toThrow(ExchangeDenied);
    try {
      ensure(0, "token_expired", "exp in the past");
    } catch (err) {
      expect(err).toMatchObject({ reason: "token_expired", detail: "exp in the past", name: "ExchangeDenied" });
    }
    expect(() => ensure("yes", "token_expired", "never")).not.toThrow();
  });
});
