/**
 * The closed set of reasons a token exchange is refused. One code drives the HTTP reply
 * (always the same opaque 401/400 to the caller), the authentication-history row and the
 * console's explanation. Adding a reason means adding it to its check in exchange-checks.ts.
 */
import { EXCHANGE_CHECKS } from "./exchange-checks";

export type DenyReason = (typeof EXCHANGE_CHECKS)[number]["reasons"][number];

/** Every reason, in the order of the checks that yield them (a non-empty tuple, as `z.enum` takes). */
export const DENY_REASONS = EXCHANGE_CHECKS.flatMap((c) => c.reasons) as readonly DenyReason[] as readonly [DenyReason, ...DenyReason[]];

/** Reasons that stem from a malformed request rather than a refused identity: 400, not 401. */
export const REQUEST_ERROR_REASONS: ReadonlySet<DenyReason> = new Set(EXCHANGE_CHECKS[0].reasons);

/** Marks refusals across copies of this module (see `Symbol.hasInstance` below). */
const DENIED = Symbol.for("wif.ExchangeDenied");

/** A refusal with its stable code and the non-secret details an administrator needs. */
export class ExchangeDenied extends Error {
  readonly [DENIED] = true;

  /**
   * `instanceof` by brand, not by class identity: the key sources live in the server's runtime
   * while the console's bundle has its own copy of this module, so a key fetch's refusal seen
   * by the tester would otherwise not be a refusal at all — and became "internal error".
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [DENIED]?: unknown })[DENIED] === true;
  }

  constructor(
    readonly reason: DenyReason,
    /** For the history only, never for the caller: what was found vs. expected. */
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = "ExchangeDenied";
  }
}

/** Precondition as a one-line assertion that narrows types: `ensure(rule, "rule_not_found", "…")`. */
export function ensure(condition: unknown, reason: DenyReason, detail: string): asserts condition {
  if (!condition) throw new ExchangeDenied(reason, detail);
}
