/**
 * Hints for the failures people hit most (docs/providers.md#pitfalls): a subject from another
 * trigger, letter case, a provider's default audience, an issuer URL one slash off, a token
 * pasted with its wrapping. Advice only; the checks themselves are the exchange's.
 */
import type { MatchCheck } from "../core/match";
import type { Claims, IssuerPolicy, RuleMatch } from "../core/types";
import type { RegisteredClaimCheck } from "../core/verify-assertion";
import { isDefaultAudience, type RecognizedProvider } from "../providers/recognize";
import { describeGithubSubject, describeTrigger } from "./github-triggers";
import type { RegisteredIssuer } from "./tester";
import { formatDuration, isNumber } from "./token-times";

/** How two issuer URLs differ when they differ only a little (pitfall 12), else null. */
export function describeIssuerDifference(a: string, b: string): string | null {
  if (a === b) return null;
  const slashless = (s: string) => s.replace(/\/+$/, "");
  if (slashless(a) === slashless(b)) return "differs only by a trailing slash";
  if (a.toLowerCase() === b.toLowerCase()) return "differs only in letter case";
  if (slashless(a).toLowerCase() === slashless(b).toLowerCase()) return "differs only in letter case and a trailing slash";
  try {
    const x = new URL(a);
    const y = new URL(b);
    const samePath = slashless(x.pathname) === slashless(y.pathname);
    if (x.hostname === y.hostname && samePath && x.protocol !== y.protocol) return `differs in scheme (${x.protocol.slice(0, -1)} vs ${y.protocol.slice(0, -1)})`;
    if (x.hostname === y.hostname && samePath && x.port !== y.port) return "differs only by the port";
  } catch {
    // not URLs: nothing more to say
  }
  return null;
}

/** A claim value as the hints quote it. */
export const quote = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "absent" : JSON.stringify(v));

/** What the hints of one rule's checks look at. */
export interface HintContext {
  claims: Claims;
  provider: RecognizedProvider | null;
  issuers: RegisteredIssuer[];
  ruleIssuer: IssuerPolicy;
  match: RuleMatch;
  defaultAudience: string;
}

export function subjectHints(pattern: string, sub: unknown): string[] {
  if (typeof sub !== "string") return ["The token has no string sub."];
  const hints: string[] = [];
  const isPrefix = pattern.endsWith("*");
  const expected = isPrefix ? pattern.slice(0, -1) : pattern;
  // Pitfall 1: the subject's last part depends on what triggered the job.
  const want = describeGithubSubject(expected);
  const got = describeGithubSubject(sub);
  if (want && got && want.repository === got.repository && (want.kind !== got.kind || want.value !== got.value) && want.kind !== "other") {
    hints.push(
      want.kind !== got.kind
        ? `GitHub's sub depends on the trigger: the rule expects ${describeTrigger(want)}, this token comes from ${describeTrigger(got)}. Write one rule per trigger, or match the repository with claims and check the trigger in a condition.`
        : `The rule expects ${describeTrigger(want)}, this token comes from ${describeTrigger(got)}.`,
    );
  }
  const gitlab = (s: string) => /^project_path:([^:]+):ref_type:(branch|tag):ref:(.*)$/s.exec(s);
  const gw = gitlab(expected);
  const gg = gitlab(sub);
  if (gw && gg && gw[1] === gg[1] && (gw[2] !== gg[2] || gw[3] !== gg[3])) {
    hints.push(`GitLab's sub names the ref: the rule expects ${gw[2]} ${gw[3]}, this token comes from ${gg[2]} ${gg[3]}.`);
  }
  // Pitfall 2: matching is case-sensitive.
  if (isPrefix ? sub.toLowerCase().startsWith(expected.toLowerCase()) : sub.toLowerCase() === expected.toLowerCase()) {
    hints.push("The two differ only in letter case; matching is exact and case-sensitive (Acme/API ≠ acme/api).");
  }
  if (!isPrefix && sub.startsWith(pattern)) hints.push("The rule's subject has no trailing *, so sub must equal it exactly; end it with * to match a prefix (and end the prefix at a delimiter such as :).");
  if (!want && got && !pattern.startsWith("repo:")) hints.push("This is a GitHub subject (repo:OWNER/REPO:…); the rule's subject is shaped differently.");
  return hints;
}

export function audienceHints(c: MatchCheck, ctx: HintContext): string[] {
  const hints: string[] = [];
  const auds = typeof c.found === "string" ? [c.found] : Array.isArray(c.found) ? c.found.filter((a): a is string => typeof a === "string") : [];
  const expected = String(c.expected);
  const d = auds.find((a) => isDefaultAudience(a, ctx.provider));
  if (d !== undefined) {
    const own = ctx.provider !== null && ctx.provider.id !== "demo" && ctx.provider.defaultAudiences.includes(d);
    const whose = own ? `the default audience of ${ctx.provider!.label}` : d === "sts.amazonaws.com" ? "the default audience of EKS service-account tokens (meant for AWS STS)" : "a provider's default audience";
    const how =
      own && ctx.provider!.id === "github-actions"
        ? ` (GitHub: core.getIDToken('${expected}') or &audience=${expected} on ACTIONS_ID_TOKEN_REQUEST_URL)`
        : (own && ctx.provider!.id === "kubernetes") || d === "sts.amazonaws.com"
          ? " (Kubernetes: set the projected volume's serviceAccountToken.audience)"
          : "";
    hints.push(`aud ${quote(d)} is ${whose}: the workload asked for no audience. Request the token with audience ${expected}${how}.`);
  }
  if (auds.some((a) => a.toLowerCase() === expected.toLowerCase() || a.replace(/\/+$/, "") === expected.replace(/\/+$/, ""))) {
    hints.push("The audiences differ only in letter case or a trailing slash; they must be equal byte for byte.");
  }
  if (!ctx.match.audience) hints.push(`The rule names no audience, so the server's default ${ctx.defaultAudience} is expected; set the rule's audience to the token's aud if that is what your workload requests.`);
  return hints;
}

export function claimHints(c: MatchCheck): string[] {
  const hints: string[] = [];
  if (typeof c.found === "string" && typeof c.expected === "string" && c.found.toLowerCase() === c.expected.toLowerCase()) {
    hints.push("The values differ only in letter case; claims are compared exactly.");
  }
  if (c.found === undefined) hints.push(`The token has no ${c.name.replace(/^claims\./, "")} claim; check the claim's name and that the provider sends it for this kind of job.`);
  if (typeof c.found === "number" && String(c.found) === c.expected) hints.push("The token sends this claim as a number; match it in a condition, e.g. claims.x == " + c.expected + ".");
  return hints;
}

export function registeredHints(c: RegisteredClaimCheck, ctx: HintContext, now: number): string[] {
  const { claims } = ctx;
  switch (c.check) {
    case "iss": {
      const hints: string[] = [];
      if (typeof claims.iss === "string") {
        const diff = describeIssuerDifference(claims.iss, ctx.ruleIssuer.issuer_url);
        if (diff) hints.push(`The token's iss ${diff} from the issuer URL ${ctx.ruleIssuer.issuer_url}; the issuer URL must equal iss byte for byte.`);
        const other = ctx.issuers.find((i) => i.issuer_url === claims.iss && i.id !== ctx.ruleIssuer.id);
        if (other) hints.push(`The token's iss is registered as issuer ${other.name}; use a rule on that issuer.`);
      }
      return hints;
    }
    case "expiry":
      return isNumber(claims.exp)
        ? [`It expired ${formatDuration(now - claims.exp)} ago${isNumber(claims.iat) ? ` after living ${formatDuration(claims.exp - claims.iat)}` : ""}. Fetch a fresh token right before exchanging it.`]
        : [];
    case "not_before":
    case "issued_at":
      return ["The token is dated in the future: the provider's clock and this server's differ by more than the 30 s leeway."];
    case "lifetime":
      return ["Request a shorter-lived token from the provider, or raise the issuer's max_jwt_lifetime_seconds (up to 176400)."];
    default:
      return [];
  }
}

/** Common paste mistakes behind a token that does not decode. */
export function malformedHints(jwt: string): string[] {
  const hints: string[] = [];
  if (/^bearer\s/i.test(jwt)) hints.push("Remove the 'Bearer ' prefix; paste the token alone.");
  if (/^["']|["']$/.test(jwt)) hints.push("Remove the quotes around the token.");
  if (/\s/.test(jwt)) hints.push("The token contains whitespace or line breaks; a JWT has none.");
  const parts = jwt.split(".").length;
  if (parts === 5) hints.push("This has five parts: an encrypted JWE, not a signed JWT. Identity providers' OIDC tokens are signed JWTs.");
  if (parts === 2) hints.push("This has two parts; a signed JWT has three (header.payload.signature). Was the signature cut off?");
  if (jwt.startsWith("{")) hints.push("This is JSON; paste the token string (eyJ…), not a JSON wrapper such as {\"value\": …}.");
  return hints;
}
