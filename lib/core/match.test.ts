/**
 * Rule matching over verified claims, one row per attack: audience confusion, subject
 * prefix semantics, Unicode look-alikes and control characters (exact byte comparison,
 * no normalisation), claim type confusion and CEL over claims. Each denial asserts the
 * specific reason the exchange would record.
 */
import { describe, expect, it } from "vitest";
import { explainRuleMatch, firstFailure, matchAudience, matchSubject } from "./match";
import type { Claims, RuleMatch } from "./types";

const DEFAULT_AUD = "https://api.anthropic.com";
const SUB = "repo:acme/app:ref:refs/heads/main";

const base: Claims = { iss: "https://token.actions.githubusercontent.com", sub: SUB, aud: DEFAULT_AUD, repository_owner: "acme", repository_id: "42" };

/** The reason the first failing check yields, or "granted". */
const decide = (match: RuleMatch, claims: Claims) => firstFailure(explainRuleMatch(match, claims, { defaultAudience: DEFAULT_AUD }))?.reason ?? "granted";

type Row = [label: string, match: RuleMatch, claims: Partial<Claims>, outcome: string];

describe("audience", () => {
  it.each<Row>([
    ["the default audience when the rule names none", { subject_prefix: SUB }, {}, "granted"],
    ["another audience when the rule names none", { subject_prefix: SUB }, { aud: "sts.amazonaws.com" }, "audience_mismatch"],
    ["a missing aud", { subject_prefix: SUB }, { aud: undefined }, "audience_mismatch"],
    ["a null aud", { subject_prefix: SUB }, { aud: null }, "audience_mismatch"],
    ["an empty aud", { subject_prefix: SUB }, { aud: "" }, "audience_mismatch"],
    ["an array aud holding the default", { subject_prefix: SUB }, { aud: ["sts.amazonaws.com", DEFAULT_AUD] }, "granted"],
    ["an array aud without the expected value", { subject_prefix: SUB }, { aud: ["sts.amazonaws.com", "https://github.com/acme"] }, "audience_mismatch"],
    ["an empty array aud", { subject_prefix: SUB }, { aud: [] }, "audience_mismatch"],
    ["a nested array holding the audience", { subject_prefix: SUB }, { aud: [[DEFAULT_AUD]] }, "audience_mismatch"],
    ["an object aud", { subject_prefix: SUB }, { aud: { 0: DEFAULT_AUD } }, "audience_mismatch"],
    ["the default with a trailing slash", { subject_prefix: SUB }, { aud: `${DEFAULT_AUD}/` }, "audience_mismatch"],
    ["the default in another case", { subject_prefix: SUB }, { aud: DEFAULT_AUD.toUpperCase() }, "audience_mismatch"],
    ["the rule's own audience", { subject_prefix: SUB, audience: "https://github.com/acme" }, { aud: "https://github.com/acme" }, "granted"],
    ["the default audience when the rule names another", { subject_prefix: SUB, audience: "https://github.com/acme" }, { aud: DEFAULT_AUD }, "audience_mismatch"],
    ["the rule's audience as a prefix of aud", { subject_prefix: SUB, audience: "https://github.com/acme" }, { aud: "https://github.com/acme-evil" }, "audience_mismatch"],
    ["an empty rule audience falls back to the default", { subject_prefix: SUB, audience: "" }, { aud: DEFAULT_AUD }, "granted"],
  ])("%s → %s", (_label, match, claims, outcome) => {
    expect(decide(match, { ...base, ...claims })).toBe(outcome);
  });
});

describe("subject_prefix", () => {
  it.each<Row>([
    ["an exact subject", { subject_prefix: SUB }, {}, "granted"],
    ["a longer subject against an exact rule", { subject_prefix: "repo:acme/app" }, { sub: "repo:acme/app-evil" }, "match_subject_prefix"],
    ["an exact rule that is a prefix of sub", { subject_prefix: "repo:acme/app:ref:refs/heads/main" }, { sub: "repo:acme/app:ref:refs/heads/main-evil" }, "match_subject_prefix"],
    ["a subject under a prefix ending at a delimiter", { subject_prefix: "repo:acme/app:*" }, { sub: "repo:acme/app:pull_request" }, "granted"],
    ["a sibling repository under a delimited prefix", { subject_prefix: "repo:acme/app:*" }, { sub: "repo:acme/app-evil:ref:refs/heads/main" }, "match_subject_prefix"],
    // Platform semantics: a prefix without a delimiter also admits look-alike names (the advisor warns).
    ["a sibling repository under an undelimited prefix", { subject_prefix: "repo:acme/app*" }, { sub: "repo:acme/app-evil:ref:refs/heads/main" }, "granted"],
    ["the prefix itself", { subject_prefix: "repo:acme/app:*" }, { sub: "repo:acme/app:" }, "granted"],
    ["a shorter subject", { subject_prefix: "repo:acme/app:*" }, { sub: "repo:acme/app" }, "match_subject_prefix"],
    ["an inner * taken literally", { subject_prefix: "repo:acme/*:ref:refs/heads/main" }, { sub: "repo:acme/app:ref:refs/heads/main" }, "match_subject_prefix"],
    ["a bare * (refused at create) matching nothing", { subject_prefix: "*" }, { sub: "anything" }, "match_subject_prefix"],
    ["another case", { subject_prefix: SUB }, { sub: "repo:Acme/App:ref:refs/heads/main" }, "match_subject_prefix"],
    ["another case under a prefix", { subject_prefix: "repo:acme/*" }, { sub: "repo:ACME/app:ref:refs/heads/main" }, "match_subject_prefix"],
    ["a Cyrillic а in the owner", { subject_prefix: "repo:acme/*" }, { sub: "repo:аcme/app:ref:refs/heads/main" }, "match_subject_prefix"],
    ["a fullwidth letter", { subject_prefix: "repo:acme/*" }, { sub: "repo:ａcme/app:ref:refs/heads/main" }, "match_subject_prefix"],
    ["a zero-width space", { subject_prefix: SUB }, { sub: "repo:acme/app\u200b:ref:refs/heads/main" }, "match_subject_prefix"],
    ["a decomposed é against a composed rule", { subject_prefix: "repo:caf\u00e9/app" }, { sub: "repo:cafe\u0301/app" }, "match_subject_prefix"],
    ["a composed é against a decomposed rule", { subject_prefix: "repo:cafe\u0301/app" }, { sub: "repo:caf\u00e9/app" }, "match_subject_prefix"],
    ["a trailing NUL", { subject_prefix: SUB }, { sub: `${SUB}\u0000` }, "match_subject_prefix"],
    ["a NUL truncating the owner", { subject_prefix: "repo:acme/app" }, { sub: "repo:acme\u0000/app" }, "match_subject_prefix"],
    ["a trailing newline", { subject_prefix: SUB }, { sub: `${SUB}\n` }, "match_subject_prefix"],
    ["a CR/LF", { subject_prefix: SUB }, { sub: `${SUB}\r\n` }, "match_subject_prefix"],
    ["a trailing space", { subject_prefix: SUB }, { sub: `${SUB} ` }, "match_subject_prefix"],
    ["a leading space", { subject_prefix: "repo:acme/*" }, { sub: ` ${SUB}` }, "match_subject_prefix"],
    ["a numeric sub", { subject_prefix: "42" }, { sub: 42 }, "match_subject_prefix"],
    ["a sub in an array", { subject_prefix: SUB }, { sub: [SUB] }, "match_subject_prefix"],
    ["an object sub", { subject_prefix: "repo:acme/*" }, { sub: { toString: SUB } }, "match_subject_prefix"],
    ["a missing sub", { subject_prefix: "repo:acme/*" }, { sub: undefined }, "match_subject_prefix"],
  ])("%s → %s", (_label, match, claims, outcome) => {
    expect(decide(match, { ...base, ...claims })).toBe(outcome);
  });
});

describe("claims", () => {
  it.each<Row>([
    ["an exact string", { claims: { repository_owner: "acme" } }, {}, "granted"],
    ["every pinned claim", { claims: { repository_owner: "acme", repository_id: "42" } }, {}, "granted"],
    ["one pinned claim differing", { claims: { repository_owner: "acme", repository_id: "42" } }, { repository_id: "43" }, "match_claims"],
    ["another case", { claims: { repository_owner: "acme" } }, { repository_owner: "Acme" }, "match_claims"],
    ["a Cyrillic look-alike", { claims: { repository_owner: "acme" } }, { repository_owner: "асme" }, "match_claims"],
    ["a trailing NUL", { claims: { repository_owner: "acme" } }, { repository_owner: "acme\u0000" }, "match_claims"],
    ["a trailing CR/LF", { claims: { repository_owner: "acme" } }, { repository_owner: "acme\r\n" }, "match_claims"],
    ["a number where a string is pinned", { claims: { repository_id: "42" } }, { repository_id: 42 }, "match_claims"],
    ["a bool where a string is pinned", { claims: { ref_protected: "true" } }, { ref_protected: true }, "match_claims"],
    ["an array holding the pinned value", { claims: { repository_owner: "acme" } }, { repository_owner: ["acme"] }, "match_claims"],
    ["an object where a string is pinned", { claims: { repository_owner: "acme" } }, { repository_owner: { name: "acme" } }, "match_claims"],
    ["null where a string is pinned", { claims: { repository_owner: "acme" } }, { repository_owner: null }, "match_claims"],
    ["a missing claim", { claims: { environment: "prod" } }, {}, "match_claims"],
    ["an empty pinned value against a missing claim", { claims: { environment: "" } }, {}, "match_claims"],
    ["a claim inherited from Object.prototype", { claims: { constructor: "function Object() { [native code] }" } }, {}, "match_claims"],
    ["a dotted name that is not a path", { claims: { "kubernetes.io.namespace": "prod" } }, { "kubernetes.io": { namespace: "prod" } }, "match_claims"],
  ])("%s → %s", (_label, match, claims, outcome) => {
    expect(decide(match, { ...base, ...claims })).toBe(outcome);
  });
});

describe("condition", () => {
  it.each<Row>([
    ["a true condition", { condition: 'claims.repository_owner == "acme"' }, {}, "granted"],
    ["a false condition", { condition: 'claims.repository_owner == "acme"' }, { repository_owner: "evil" }, "match_condition"],
    ["a condition over a missing claim", { condition: 'claims.environment == "prod"' }, {}, "match_condition"],
    ["a number confused with a string", { condition: 'claims.repository_id == "42"' }, { repository_id: 42 }, "match_condition"],
    ["a string confused with a number", { condition: "claims.repository_owner_id == 42" }, { repository_owner_id: "42" }, "match_condition"],
    ["a string confused with a bool", { condition: "claims.ref_protected" }, { ref_protected: "true" }, "match_condition"],
    ["a non-boolean result", { condition: "claims.repository_owner" }, {}, "match_condition"],
    ["a condition that does not compile (stored before a rule change)", { condition: "claims.sub ==" }, {}, "match_condition"],
    ["a constant-true condition that reached the store", { condition: "true" }, {}, "match_condition"],
    ["a claim value that looks like CEL", { condition: 'claims.repository_owner == "acme"' }, { repository_owner: 'acme" || true || "' }, "match_condition"],
  ])("%s → %s", (_label, match, claims, outcome) => {
    expect(decide({ subject_prefix: SUB, ...match }, { ...base, ...claims })).toBe(outcome);
  });
});

describe("explainRuleMatch", () => {
  it("checks in order audience, subject, claims (by name), condition, and reports every failure", () => {
    const checks = explainRuleMatch(
      { subject_prefix: "repo:acme/*", claims: { z: "1", a: "2" }, condition: "false", audience: "x" },
      { sub: "repo:evil/app", aud: "y", a: 2 },
      { defaultAudience: DEFAULT_AUD },
    );
    expect(checks.map((c) => [c.name, c.passed, c.reason])).toEqual([
      ["aud", false, "audience_mismatch"],
      ["sub", false, "match_subject_prefix"],
      ["claims.a", false, "match_claims"],
      ["claims.z", false, "match_claims"],
      ["condition", false, "match_condition"],
    ]);
    expect(checks.find((c) => c.name === "claims.a")!.message).toContain("use condition for non-string claims");
    expect(checks[0]!.message).toContain("does not contain");
  });

  it("names the default audience in the message when the rule has none", () => {
    const [aud] = explainRuleMatch({ subject_prefix: SUB }, { ...base, aud: "other" }, { defaultAudience: DEFAULT_AUD });
    expect(aud!.message).toContain("the server's default audience");
  });
});

describe("matchSubject / matchAudience", () => {
  it("compares exactly, or by prefix only when the pattern ends in *", () => {
    expect(matchSubject("a*", "abc")).toBe(true);
    expect(matchSubject("a", "abc")).toBe(false);
    expect(matchSubject("*", "")).toBe(false);
    expect(matchSubject("abc*", "ab")).toBe(false);
  });

  it("accepts a string aud or an array holding the value", () => {
    expect(matchAudience("x", "x")).toBe(true);
    expect(matchAudience("x", ["y", "x"])).toBe(true);
    expect(matchAudience("x", "xy")).toBe(false);
    expect(matchAudience("x", undefined)).toBe(false);
  });
});
