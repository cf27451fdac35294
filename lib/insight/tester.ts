/**
 * The token tester's report: what the exchange would decide about a token, with every check
 * shown — pass, fail or skip (not reached / not evaluable), with what was found and expected,
 * the deny reason's explanation and hints for the failures people hit most. Built by
 * inspect-token.ts; the console renders it (components/tester/token-report.tsx). Types only.
 */
import type { DenyReason } from "../core/deny-reasons";
import type { ExchangeStage } from "../core/exchange-checks";
import type { ExchangeDeps, RuleContext } from "../core/ports";
import type { Claims, IssuerPolicy } from "../core/types";
import type { RecognizedProvider } from "../providers/recognize";
import type { ReasonExplanation } from "./explain-reason";
import type { TriggerMatrix } from "./github-triggers";

export type CheckStatus = "pass" | "fail" | "skip";

/** The stage of the exchange a check belongs to (exchange-checks.ts). */
export type CheckStage = ExchangeStage;

/** One check of the exchange, as the tester shows it. */
export interface TesterCheck {
  /** Stable within a report: `header`, `key`, `signature`, `iss`, `expiry`, `aud`, `claims.ref`… */
  key: string;
  stage: CheckStage;
  label: string;
  status: CheckStatus;
  found?: unknown;
  expected?: unknown;
  message: string;
  /** The deny reason this check yields when it fails. */
  reason?: DenyReason | undefined;
  /** For a failed check: what it means and how to fix it. */
  explanation?: ReasonExplanation | undefined;
  /** Hints for common causes of this failure. */
  hints: string[];
}

export type RuleVerdict =
  | {
      outcome: "granted";
      serviceAccountId: string;
      workspaceId: string;
      scope: string;
      expiresIn: number;
      /** The rule's configured lifetime, and why `expiresIn` is shorter when it is. */
      configuredLifetimeSeconds: number;
      lifetimeReason: string | null;
    }
  | { outcome: "denied"; reason: DenyReason; detail: string; explanation: ReasonExplanation }
  /** Recorded claims (no token): every check that can run on claims alone passes. */
  | { outcome: "claims_pass" }
  | { outcome: "claims_fail"; reason: DenyReason; detail: string; explanation: ReasonExplanation };

export interface RuleReport {
  ruleId: string;
  ruleName: string;
  issuerId: string;
  serviceAccountId: string;
  oauthScope: string;
  verdict: RuleVerdict;
  checks: TesterCheck[];
  /** For rules on a GitHub issuer: which triggers the rule admits. */
  triggerMatrix: TriggerMatrix | null;
}

export interface TimeFact {
  claim: "iat" | "nbf" | "exp";
  value: unknown;
  iso: string | null;
  /** "expires in 3 min", "expired 2 h ago", "issued 5 min ago"… */
  relative: string | null;
}

export type IssuerFinding =
  | { status: "registered"; id: string; name: string; issuerUrl: string; checkJti: boolean; maxJwtLifetimeSeconds: number }
  | { status: "unregistered"; iss: unknown; nearMisses: Array<{ id: string; name: string; issuerUrl: string; difference: string }> };

/** A failure before any rule: the token could not even be decoded. */
export interface Malformed {
  reason: DenyReason;
  detail: string;
  explanation: ReasonExplanation;
  hints: string[];
}

export interface TokenReport {
  source: "token" | "recorded";
  /** The instant the time checks were evaluated at (the event's time for recorded claims). */
  evaluatedAt: string;
  decoded: { header: Record<string, unknown> | null; claims: Claims } | null;
  malformed: Malformed | null;
  times: TimeFact[];
  /** `exp − iat`, when both are numbers. */
  lifetimeSeconds: number | null;
  provider: RecognizedProvider | null;
  issuer: IssuerFinding | null;
  /** Header, key and signature against the issuer registered for the token's `iss`. */
  verification: TesterCheck[];
  rules: RuleReport[];
  notes: string[];
}

export interface NamedRule {
  name: string;
  context: RuleContext;
}

export interface RegisteredIssuer extends IssuerPolicy {
  name: string;
}

/** What the tester reads; the exchange's own dependencies plus lookups by issuer. Read-only. */
export interface TesterDeps extends Omit<ExchangeDeps, "loadRule"> {
  /** The organization's live issuers. */
  liveIssuers(): Promise<RegisteredIssuer[]>;
  loadRule(ruleId: string): Promise<NamedRule | undefined>;
  /** Live rules of an issuer, each with its issuer and service account. */
  liveRules(issuerId: string): Promise<NamedRule[]>;
  /** This server's demo issuer URL, to recognise its tokens. */
  demoIssuerUrl?: string | undefined;
}

export type TesterInput =
  | { kind: "token"; assertion: string; ruleId?: string | undefined; workspaceId?: string | undefined; serviceAccountId?: string | undefined }
  /** Claims recorded in the authentication history: no signature, evaluated at the event's time. */
  | { kind: "recorded"; claims: Claims; claimsVerified: boolean; at: number; ruleId?: string | undefined };
