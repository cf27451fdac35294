/**
 * Which console role a person signing in with single sign-on gets: the provider's ordered
 * mappings, each a role and a match of the same shape as a federation rule's, checked by the
 * same code (lib/core/match.ts, CEL included). The first mapping whose every check passes
 * decides; none matching means no access.
 * @see docs/security.md#sso-role-mapping
 */
import { explainRuleMatch, type MatchCheck } from "./match";
import type { Claims, RuleMatch } from "./types";

/** Roles single sign-on may grant; `owner` is never granted by a mapping (owners are local and named). */
export const SSO_ROLES = ["admin", "developer", "viewer"] as const;
export type SsoRole = (typeof SSO_ROLES)[number];

export interface RoleMapping {
  role: SsoRole;
  match: RuleMatch;
}

export interface MappingExplanation {
  index: number;
  role: SsoRole;
  matched: boolean;
  checks: MatchCheck[];
}

export interface RoleDecision {
  /** The granted role, or undefined when no mapping matched. */
  role: SsoRole | undefined;
  /** Every mapping up to and including the one that matched (all of them when none did). */
  explanations: MappingExplanation[];
}

/**
 * Evaluate `mappings` against the ID token's `claims`. The audience check of a rule match is
 * pinned to the provider's client ID, which openid-client has already checked: a mapping's
 * `audience`, if set, must name it too.
 */
export function decideRole(mappings: readonly RoleMapping[], claims: Claims, clientId: string): RoleDecision {
  const explanations: MappingExplanation[] = [];
  for (const [index, mapping] of mappings.entries()) {
    const checks = explainRuleMatch(mapping.match, claims, { defaultAudience: clientId });
    const matched = checks.every((c) => c.passed);
    explanations.push({ index, role: mapping.role, matched, checks });
    if (matched) return { role: mapping.role, explanations };
  }
  return { role: undefined, explanations };
}
