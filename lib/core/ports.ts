/**
 * What the exchange needs from outside the core, declared here and implemented elsewhere:
 * reads and writes by lib/store/exchange-store.ts, keys by lib/jwks, the clock by the caller.
 * Records are in the columns' own shape (snake_case, 0/1 flags, ISO-8601 UTC timestamps), so
 * the store binds them as they are: the token path copies nothing on the way to the database.
 */
import type { IssuerPolicy, KeyResolver, RulePolicy } from "./types";
import type { OrganizationRole } from "./scopes";

export interface WorkspaceRef {
  id: string;
  isDefault: boolean;
  archived: boolean;
}

/** Everything the decision needs about one rule, loaded in one go. */
export interface RuleContext {
  rule: RulePolicy;
  issuer: IssuerPolicy;
  serviceAccount: { id: string; organizationRole: OrganizationRole; archived: boolean };
  /** The workspaces the rule enables, when the loader read them with the rule; otherwise `enabledWorkspaces` is asked. */
  workspaces?: WorkspaceRef[];
  /**
   * Whether `jti` was already consumed for the rule's issuer, when the loader read it with the
   * rule (one read instead of two on the token path). The exchange uses it only for the same
   * `jti` the verified token carries; otherwise it asks `jtiUsed`.
   */
  consumedJti?: { jti: string; used: boolean };
}

/** What the exchange reads from storage, for one organization. */
export interface ExchangeReads {
  /** `jti`: the assertion's, as decoded before verification, for `RuleContext.consumedJti`. */
  loadRule(ruleId: string, jti?: string): Promise<RuleContext | undefined>;
  jtiUsed(issuerId: string, jti: string): Promise<boolean>;
  /** Resolve `wrkspc_…`/`default` in the organization; undefined when it does not exist. */
  findWorkspace(ref: string): Promise<WorkspaceRef | undefined>;
  /** The workspaces the rule enables (all live ones when it applies to all). */
  enabledWorkspaces(rule: RulePolicy): Promise<WorkspaceRef[]>;
  isMember(serviceAccountId: string, workspace: WorkspaceRef): Promise<boolean>;
}

/** Everything `decideExchange` is given: the installation's settings, a clock, keys and the reads. */
export interface ExchangeDeps extends ExchangeReads {
  /** The installation's organization. */
  organizationId: string;
  /** `aud` a rule without `match.audience` expects. */
  defaultAudience: string;
  /** Seconds since the epoch. */
  now(): number;
  keysFor(issuer: IssuerPolicy): KeyResolver;
}

/** Who asked, for the records an exchange writes. */
export interface ExchangeAttempt {
  organizationId: string;
  requestId: string;
  clientIp: string | null;
}

/** A consumed `jti`, kept until the assertion could no longer be replayed. */
export interface UsedJtiRecord {
  issuer_id: string;
  jti: string;
  expires_at: string;
}

/** An issued access token: only the secret's hash is ever stored. */
export interface AccessTokenRecord {
  id: string;
  token_hash: string;
  organization_id: string;
  federation_rule_id: string;
  service_account_id: string;
  workspace_id: string;
  scope: string;
  subject: string;
  request_id: string;
  created_at: string;
  expires_at: string;
}

/** One row of the authentication history: an exchange granted or denied, and why. */
export interface AuthEventRecord {
  id: string;
  organization_id: string;
  occurred_at: string;
  request_id: string;
  outcome: "granted" | "denied";
  reason: string | null;
  detail: string;
  federation_rule_id: string | null;
  issuer_id: string | null;
  service_account_id: string | null;
  workspace_id: string | null;
  subject: string | null;
  /** Non-secret claims as JSON, capped (exchange-history.ts); never the JWT itself. */
  claims: string | null;
  claims_verified: 0 | 1;
  access_token_id: string | null;
  client_ip: string | null;
}

/** What a granted exchange writes: all of it in one transaction, or none of it. */
export interface GrantRecords {
  /** Consumed first, so a `jti` taken meanwhile abandons the grant before anything is written. */
  usedJti: UsedJtiRecord | null;
  accessToken: AccessTokenRecord;
  history: AuthEventRecord;
}

/** What the exchange writes to storage. */
export interface ExchangeWrites {
  /** Rejects with `JtiRace`, having written nothing, when another exchange consumed the `jti` first. */
  saveGrant(records: GrantRecords): Promise<void>;
  /** A denial's history row. */
  recordEvent(event: AuthEventRecord): Promise<void>;
}

/** `saveGrant`: another exchange consumed the same `jti` between the check and the commit. */
export class JtiRace extends Error {
  constructor() {
    super("jti was exchanged concurrently by another request");
    this.name = "JtiRace";
  }
}
