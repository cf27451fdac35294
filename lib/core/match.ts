/**
 * Rule matching and its explanation: one implementation for the token exchange (the first
 * failing check decides the deny reason) and the console's tester (every check shown).
 * Comparisons are exact, byte for byte: no case folding, trimming or Unicode normalisation.
 * @see docs/behaviour.md#rule-match
 */
import { compileCondition } from "./cel";
import type { DenyReason } from "./deny-reasons";
import type { Claims, RuleMatch } from "./types";

export interface MatchCheck {
  check: "audience" | "subject_prefix" | "claim" | "condition";
  /** What was compared, e.g. `aud`, `sub`, `claims.repository_owner`, `condition`. */
  name: string;
  passed: boolean;
  found: unknown;
  expected: unknown;
  /** The deny reason this check yields when it fails. */
  reason: DenyReason;
  message: string;
}

/**
 * Exact match of `sub`, or a prefix match when the pattern ends in `*`. A bare `*` matches
 * nothing (it is also refused at create time). Note that `repo:org/app*` matches
 * `repo:org/app-evil`; the advisor warns about prefixes that do not end at a delimiter.
 */
export function matchSubject(pattern: string, sub: string): boolean {
  if (pattern.endsWith("*")) {
    const prefix = pattern.slice(0, -1);
    return prefix.length > 0 && sub.startsWith(prefix);
  }
  return sub === pattern;
}

/** `aud` equals `expected`, or is an array with an element equal to it. */
export function matchAudience(expected: string, aud: unknown): boolean {
  if (typeof aud === "string") return aud === expected;
  return Array.isArray(aud) && aud.some((a) => a === expected);
}

const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v));

/** Every check of `match` against `claims`, in evaluation order. */
export function explainRuleMatch(match: RuleMatch, claims: Claims, options: { defaultAudience: string }): MatchCheck[] {
  const checks: MatchCheck[] = [];
  const expectedAud = match.audience || options.defaultAudience;
  const audOk = matchAudience(expectedAud, claims.aud);
  checks.push({
    check: "audience",
    name: "aud",
    passed: audOk,
    found: claims.aud,
    expected: expectedAud,
    reason: "audience_mismatch",
    message: audOk
      ? `aud contains ${show(expectedAud)}`
      : `aud ${show(claims.aud)} does not contain ${show(expectedAud)}${match.audience ? "" : " (the server's default audience; the rule names none)"}`,
  });

  if (match.subject_prefix) {
    const pattern = match.subject_prefix;
    const sub = claims.sub;
    const ok = typeof sub === "string" && matchSubject(pattern, sub);
    const isPrefix = pattern.endsWith("*");
    checks.push({
      check: "subject_prefix",
      name: "sub",
      passed: ok,
      found: sub,
      expected: pattern,
      reason: "match_subject_prefix",
      message: ok
        ? `sub ${show(sub)} ${isPrefix ? "starts with" : "equals"} ${show(isPrefix ? pattern.slice(0, -1) : pattern)}`
        : `sub ${show(sub)} does not ${isPrefix ? "start with" : "equal"} ${show(isPrefix ? pattern.slice(0, -1) : pattern)}`,
    });
  }

  for (const name of Object.keys(match.claims ?? {}).sort()) {
    const expected = match.claims![name]!;
    const found = claims[name];
    const ok = typeof found === "string" && found === expected;
    const note = found !== undefined && typeof found !== "string" ? `; the claim is a ${Array.isArray(found) ? "list" : typeof found}, use condition for non-string claims` : "";
    checks.push({
      check: "claim",
      name: `claims.${name}`,
      passed: ok,
      found,
      expected,
      reason: "match_claims",
      message: ok ? `${name} equals ${show(expected)}` : `${name} is ${show(found)}, expected ${show(expected)}${note}`,
    });
  }

  if (match.condition) {
    const compiled = compileCondition(match.condition);
    const result = compiled.ok ? compiled.program.evaluate(claims) : ({ ok: false, message: compiled.message } as const);
    const ok = result.ok && result.value;
    checks.push({
      check: "condition",
      name: "condition",
      passed: ok,
      found: result.ok ? result.value : `error: ${result.message}`,
      expected: true,
      reason: "match_condition",
      message: ok ? "condition is true" : result.ok ? `condition ${match.condition} is false` : `condition ${match.condition} failed: ${result.message}`,
    });
  }
  return checks;
}

export function firstFailure(checks: MatchCheck[]): MatchCheck | undefined {
  return checks.find((c) => !c.passed);
}
