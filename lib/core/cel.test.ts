/**
 * Rule conditions: what is refused at create time (constant-true, syntax, types, size,
 * regular expressions) and how a condition evaluates over hostile claims (type confusion,
 * missing claims, non-boolean results) — always a refusal, never a throw.
 */
import { describe, expect, it } from "vitest";
import { compileCondition, MAX_CONDITION_LENGTH } from "./cel";
import type { Claims } from "./types";

const compileMessage = (expression: string) => {
  const compiled = compileCondition(expression);
  return compiled.ok ? "ok" : compiled.message;
};

const evaluate = (expression: string, claims: Claims) => {
  const compiled = compileCondition(expression);
  if (!compiled.ok) throw new Error(`does not compile: ${compiled.message}`);
  return compiled.program.evaluate(claims);
};

describe("compileCondition refuses", () => {
  it.each([
    "true",
    "1 == 1",
    "!false",
    "(true)",
    "true && true",
    "'a' == 'a'",
    "1 < 2",
    "!(1 == 2)",
    "size('abc') > 0",
    "[1, 2].size() == 2",
    "null == null",
    "true ? true : false",
    "int('1') == 1",
    // constant true reached through || beside a real check, on either side
    'true || claims.sub == "x"',
    'claims.sub == "x" || true',
    'claims.sub == "x" || !false',
    'has(claims.sub) || 1 == 1',
    // constant true on every side of &&
    "true && 1 == 1",
  ])("the constant-true condition %s", (expression) => {
    expect(compileMessage(expression)).toBe("condition: is always true; it would admit every token from the issuer");
  });

  it.each([
    ["a syntax error", "claims.sub ==", "condition: Unexpected token"],
    ["an unclosed string", 'claims.sub == "x', "condition:"],
    ["an unknown variable", 'request.sub == "x"', "condition: Unknown variable: request; only the variable claims is available"],
    ["a function call on nothing", 'env("HOME") == "x"', "condition:"],
    ["an int result", "1 + 2", "condition: must evaluate to a boolean, got int"],
    ["a string result", "'x'", "condition: must evaluate to a boolean, got string"],
    ["a list result", "[true]", "condition: must evaluate to a boolean"],
    ["nesting deeper than 64", `${"(".repeat(100)}claims.a == 1${")".repeat(100)}`, "condition: Exceeded maxDepth (64)"],
    ["a list over 500 elements", `[${Array.from({ length: 600 }, (_, i) => i).join(",")}].size() > claims.a`, "condition: Exceeded maxListElements (500)"],
    ["regular expressions (no linear-time engine: ReDoS on claim values)", 'claims.sub.matches("^(a+)+$")', "condition: matches() is not supported"],
    ["a regular expression taken from the claims", '"x".matches(claims.pattern)', "condition: matches() is not supported"],
  ])("%s", (_label, expression, message) => {
    expect(compileMessage(expression).startsWith(message), compileMessage(expression)).toBe(true);
  });

  it(`a condition over ${MAX_CONDITION_LENGTH} characters, and accepts one of exactly ${MAX_CONDITION_LENGTH}`, () => {
    const of = (length: number) => `claims.ref == "${"x".repeat(length - 'claims.ref == ""'.length)}"`;
    expect(of(MAX_CONDITION_LENGTH)).toHaveLength(MAX_CONDITION_LENGTH);
    expect(compileMessage(of(MAX_CONDITION_LENGTH))).toBe("ok");
    expect(compileMessage(of(MAX_CONDITION_LENGTH + 1))).toBe(`condition: must be at most ${MAX_CONDITION_LENGTH} characters`);
  });
});

describe("compileCondition accepts", () => {
  it.each([
    'claims.ref == "refs/heads/main"',
    "false",
    'claims.sub == "x" && true',
    'has(claims.environment) && claims.environment == "prod"',
    'claims.sub.startsWith("repo:acme/")',
    '"admins" in claims.groups',
    'claims["https://sts.amazonaws.com/"].aws_account == "123456789012"',
    "claims.run_attempt == 1",
    // A tautology over claims is not detected (only expressions that never read the claims are).
    "claims.sub == claims.sub",
  ])("%s", (expression) => {
    expect(compileMessage(expression)).toBe("ok");
  });
});

describe("evaluating a condition over claims", () => {
  it.each<[string, string, Claims, boolean]>([
    ["a string equal", 'claims.ref == "main"', { ref: "main" }, true],
    ["a string differing by case", 'claims.ref == "main"', { ref: "Main" }, false],
    ["a string with a trailing NUL", 'claims.ref == "main"', { ref: "main\u0000" }, false],
    ["a Cyrillic look-alike", 'claims.owner == "acme"', { owner: "аcme" }, false],
    ["a decomposed é against a composed one", 'claims.owner == "caf\u00e9"', { owner: "cafe\u0301" }, false],
    ["a JSON number against a CEL int", "claims.run_attempt == 2", { run_attempt: 2 }, true],
    ["a JSON number with a fraction", "claims.run_attempt == 2", { run_attempt: 2.5 }, false],
    ["a string against an int", "claims.repository_id == 42", { repository_id: "42" }, false],
    ["a number against a string", 'claims.repository_id == "42"', { repository_id: 42 }, false],
    ['the string "true" against a bool', "claims.ref_protected == true", { ref_protected: "true" }, false],
    ["a bool", "claims.ref_protected == true", { ref_protected: true }, true],
    ["membership in a list claim", '"admins" in claims.groups', { groups: ["devs", "admins"] }, true],
    ["membership missing from a list claim", '"admins" in claims.groups', { groups: ["devs"] }, false],
    ["a nested claim", 'claims["https://sts.amazonaws.com/"].aws_account == "123"', { "https://sts.amazonaws.com/": { aws_account: "123" } }, true],
    ["has() on a missing claim", 'has(claims.environment) && claims.environment == "prod"', {}, false],
  ])("%s", (_label, expression, claims, value) => {
    expect(evaluate(expression, claims)).toEqual({ ok: true, value });
  });

  it.each<[string, string, Claims, string]>([
    ["a missing claim", 'claims.environment == "prod"', {}, "No such key: environment"],
    ["a non-boolean result at run time", "claims.sub", { sub: "repo:acme/app" }, "condition evaluated to string, not a boolean"],
    ["a method on a claim of another type", 'claims.sub.startsWith("repo:")', { sub: 5 }, "no matching overload"],
    ["in on a string claim (not a list)", '"admins" in claims.groups', { groups: "admins" }, "no such overload"],
  ])("fails (never throws) on %s", (_label, expression, claims, message) => {
    const result = evaluate(expression, claims);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it("does not carry claims from one evaluation into the next (the compiled program is cached)", () => {
    expect(evaluate('claims.ref == "main"', { ref: "main" })).toEqual({ ok: true, value: true });
    expect(evaluate('claims.ref == "main"', { ref: "dev" })).toEqual({ ok: true, value: false });
    expect(evaluate('claims.ref == "main"', {}).ok).toBe(false);
  });
});
