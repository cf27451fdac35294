/** Access-token lifetime: `max(60, min(rule lifetime, 2 × remaining assertion validity))`. */
import { describe, expect, it } from "vitest";
import { accessTokenLifetime, explainAccessTokenLifetime } from "./token-lifetime";

const NOW = 1_800_000_000;

describe("accessTokenLifetime", () => {
  it.each<[string, number, number, number]>([
    ["the rule's lifetime when the assertion outlives twice it", 3600, NOW + 7200, 3600],
    ["twice the remaining validity of a 5-minute CI token", 3600, NOW + 300, 600],
    ["the rule's shorter lifetime over twice the remaining", 300, NOW + 300, 300],
    ["the floor of 60 s for an assertion about to expire", 3600, NOW + 10, 60],
    ["the floor of 60 s for an assertion already past exp (inside the leeway)", 3600, NOW - 20, 60],
    ["the floor when the rule asks for the minimum", 60, NOW + 3600, 60],
    ["the rule's maximum of a day", 86400, NOW + 176400, 86400],
    ["whole seconds for a fractional exp", 3600, NOW + 100.75, 201],
  ])("gives %s", (_label, ruleLifetime, exp, expected) => {
    expect(accessTokenLifetime(ruleLifetime, exp, NOW)).toBe(expected);
  });
});

describe("explainAccessTokenLifetime", () => {
  it.each<[string, number, number, { seconds: number; limitedBy: string; reason: RegExp | null }]>([
    ["no reason when the configured lifetime is given", 600, NOW + 3600, { seconds: 600, limitedBy: "configured", reason: null }],
    ["the identity token's remaining validity when it is shorter", 600, NOW + 120, { seconds: 240, limitedBy: "assertion", reason: /twice .* expires in 120 s/ }],
    ["the 60 s floor for a token about to expire", 600, NOW + 10, { seconds: 60, limitedBy: "minimum", reason: /expires in 10 s.*60 s/ }],
  ])("names %s", (_label, configured, exp, expected) => {
    const explained = explainAccessTokenLifetime(configured, exp, NOW);
    expect(explained).toMatchObject({ seconds: expected.seconds, configuredSeconds: configured, limitedBy: expected.limitedBy });
    expect(explained.seconds).toBe(accessTokenLifetime(configured, exp, NOW));
    if (expected.reason) expect(explained.reason).toMatch(expected.reason);
    else expect(explained.reason).toBeNull();
  });
});
