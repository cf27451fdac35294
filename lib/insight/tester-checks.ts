/**
 * The tester's rows for the exchange's checks: header, key and signature evaluated against the
 * issuer; registered claims and the rule's match from the exchange's own check lists
 * (`explainRegisteredClaims`, `explainRuleMatch`); the rest from where the real decision
 * stopped. Labels and stages come from exchange-checks.ts, the one list of the checks.
 */
import { ExchangeDenied } from "../core/deny-reasons";
import type { ExchangeGrant } from "../core/exchange";
import { checkIndex, checkIndexOfReason, exchangeCheck, type ExchangeCheck } from "../core/exchange-checks";
import { explainRuleMatch, type MatchCheck } from "../core/match";
import type { Claims, IssuerPolicy } from "../core/types";
import { checkHeader, explainRegisteredClaims, verifyAssertion, type RegisteredClaimCheck } from "../core/verify-assertion";
import { explainReason } from "./explain-reason";
import type { TesterCheck, TesterDeps } from "./tester";
import { audienceHints, claimHints, quote, registeredHints, subjectHints, type HintContext } from "./tester-hints";

/** A refusal the check threw; anything else is a fault of the tester's dependencies and propagates. */
export function fromDenial(err: unknown): ExchangeDenied {
  if (err instanceof ExchangeDenied) return err;
  throw err;
}

/** A failed row, with the explanation of its reason. */
const failed = (c: Omit<TesterCheck, "status" | "explanation">): TesterCheck => ({ ...c, status: "fail", explanation: c.reason ? explainReason(c.reason) : undefined });

/** The three signature checks, by name; the tester shows the later ones as not reached when one fails. */
export type SignatureChecks = Record<"header" | "key" | "signature", TesterCheck>;

/** Header, key lookup and signature against `issuer`, each shown (the exchange stops at the first). */
export async function signatureChecks(jwt: string, header: Record<string, unknown>, issuer: IssuerPolicy, deps: TesterDeps, now: number, ctx: { tokenIss: unknown }): Promise<SignatureChecks> {
  const row = (check: "header" | "key" | "signature", found: unknown, expected: string) => ({ key: check, stage: exchangeCheck(check).stage, label: exchangeCheck(check).label, found, expected });
  const skip = (check: "key" | "signature", message: string): TesterCheck => ({ key: check, stage: exchangeCheck(check).stage, label: exchangeCheck(check).label, status: "skip", message, hints: [] });
  const headerRow = row("header", { alg: header.alg, kid: header.kid }, "alg RS/PS/ES 256–512 and a kid");
  let kidAlg: { kid: string; alg: string };
  try {
    kidAlg = checkHeader(header);
  } catch (err) {
    const d = fromDenial(err);
    return {
      header: failed({ ...headerRow, message: d.detail, reason: d.reason, hints: [] }),
      key: skip("key", "Not reached: the header is refused."),
      signature: skip("signature", "Not reached: the header is refused."),
    };
  }
  const checked: TesterCheck = { ...headerRow, status: "pass", message: `alg ${kidAlg.alg} is allowed; kid is present`, hints: [] };
  const keyRow = row("key", kidAlg.kid, `a key of ${issuer.issuer_url}`);
  const keys = deps.keysFor(issuer);
  try {
    await keys.getKey(kidAlg.kid, kidAlg.alg);
  } catch (err) {
    const d = fromDenial(err);
    const hints = d.reason === "unknown_kid" && ctx.tokenIss !== issuer.issuer_url ? [`The token's iss is ${quote(ctx.tokenIss)}, not this issuer's ${issuer.issuer_url}: it was signed by another provider.`] : [];
    return { header: checked, key: failed({ ...keyRow, message: d.detail, reason: d.reason, hints }), signature: skip("signature", "Not reached: no key to verify with.") };
  }
  const found: TesterCheck = { ...keyRow, status: "pass", message: `the issuer has a usable key with kid ${JSON.stringify(kidAlg.kid)}`, hints: [] };
  const signatureRow = row("signature", kidAlg.alg, "a valid signature");
  const verified: TesterCheck = { ...signatureRow, status: "pass", message: `the signature verifies with key ${JSON.stringify(kidAlg.kid)}`, hints: [] };
  try {
    await verifyAssertion(jwt, issuer, keys, { now });
    return { header: checked, key: found, signature: verified };
  } catch (err) {
    const d = fromDenial(err);
    // Anything but a bad signature: it verified, and verifyAssertion went on to refuse a registered claim (shown on its own row).
    if (d.reason !== "signature_invalid") return { header: checked, key: found, signature: verified };
    const hints = ctx.tokenIss !== issuer.issuer_url ? [`The token's iss is ${quote(ctx.tokenIss)}, not this issuer's ${issuer.issuer_url}.`] : ["The token was altered after signing, or signed by a key that reuses this kid."];
    return { header: checked, key: found, signature: failed({ ...signatureRow, message: d.detail, reason: d.reason, hints }) };
  }
}

const REGISTERED_LABELS: Record<RegisteredClaimCheck["check"], string> = {
  iss: "Issuer (iss)",
  sub: "Subject present (sub)",
  iat: "Issued at present (iat)",
  exp: "Expiry present (exp)",
  nbf: "Not before is a date (nbf)",
  jti: "JWT ID is a string (jti)",
  expiry: "Not expired (exp, 30 s leeway)",
  not_before: "Already valid (nbf, 30 s leeway)",
  issued_at: "Not issued in the future (iat, 30 s leeway)",
  lifetime: "Lifetime (exp − iat) within the issuer's maximum",
};

/** Row keys: the presence checks get their own, so `sub` stays the match row's. */
const REGISTERED_KEYS: Partial<Record<RegisteredClaimCheck["check"], string>> = { sub: "sub_present", iat: "iat_present", exp: "exp_present", nbf: "nbf_type", jti: "jti_type" };

/** The registered-claim checks (verify-assertion.ts), one row each. */
export function registeredRows(claims: Claims, ctx: HintContext, now: number): TesterCheck[] {
  return explainRegisteredClaims(claims, ctx.ruleIssuer, { now }).map((c) => {
    const base = { key: REGISTERED_KEYS[c.check] ?? c.check, stage: "claims" as const, label: REGISTERED_LABELS[c.check], found: c.found, expected: c.expected, message: c.message, reason: c.reason };
    if (c.passed === null) return { ...base, status: "skip", hints: [] };
    return c.passed ? { ...base, status: "pass", hints: [] } : failed({ ...base, hints: registeredHints(c, ctx, now) });
  });
}

const MATCH_LABELS: Record<MatchCheck["check"], (c: MatchCheck) => string> = {
  audience: () => "Audience (aud)",
  subject_prefix: (c) => (String(c.expected).endsWith("*") ? "Subject prefix (sub)" : "Subject (sub)"),
  claim: (c) => `Claim ${c.name.replace(/^claims\./, "")}`,
  condition: () => "Condition (CEL)",
};

/** The rule's match checks (match.ts), one row each. */
export function matchRows(ctx: HintContext): TesterCheck[] {
  return explainRuleMatch(ctx.match, ctx.claims, { defaultAudience: ctx.defaultAudience }).map((c) => {
    const base = { key: c.check === "claim" ? c.name : c.check === "subject_prefix" ? "sub" : c.check === "audience" ? "aud" : "condition", stage: "match" as const, label: MATCH_LABELS[c.check](c), found: c.found, expected: c.expected, message: c.message, reason: c.reason };
    if (c.passed) return { ...base, status: "pass", hints: [] };
    const hints = c.check === "audience" ? audienceHints(c, ctx) : c.check === "subject_prefix" ? subjectHints(String(c.expected), c.found) : c.check === "claim" ? claimHints(c) : [];
    return failed({ ...base, hints });
  });
}

/** What the real decision concluded for one rule: the grant, or where and why it refused. */
export type Decision = { grant: ExchangeGrant } | { denied: ExchangeDenied };

/**
 * A row the tester cannot evaluate on its own (rule state, replay, target) takes its status
 * from where the real decision stopped, by the order of exchange-checks.ts: failed there,
 * passed if it got further, skipped if it stopped before.
 */
export function decidedRow(check: ExchangeCheck, decision: Decision, row: { found: unknown; expected: unknown; passMessage: string; hints?: string[] }): TesterCheck {
  const { passMessage, hints = [], found, expected } = row;
  const base = { key: check, stage: exchangeCheck(check).stage, label: exchangeCheck(check).label, found, expected };
  if ("grant" in decision) return { ...base, status: "pass", message: passMessage, hints: [] };
  const at = checkIndexOfReason(decision.denied.reason);
  const here = checkIndex(check);
  if (at === here) return failed({ ...base, reason: decision.denied.reason, message: decision.denied.detail, hints });
  if (at > here) return { ...base, status: "pass", message: passMessage, hints: [] };
  return { ...base, status: "skip", message: "Not reached: the exchange stops at the first failed check.", hints: [] };
}
