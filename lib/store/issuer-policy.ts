/**
 * An issuer row as the verifier needs it: the one mapping from `federation_issuers` columns
 * to the core's `IssuerPolicy`, for the token path's rule read and the tester's issuer list.
 */
import type { IssuerPolicy, JwksConfig } from "../core/types";
import type { FederationIssuersTable } from "./schema";

/** The columns the policy is made of; a wider row (a join, `selectAll`) passes as it is. */
export type IssuerPolicyColumns = Pick<FederationIssuersTable, "id" | "issuer_url" | "jwks" | "check_jti" | "max_jwt_lifetime_seconds" | "archived_at">;

export function toIssuerPolicy(row: IssuerPolicyColumns): IssuerPolicy {
  return {
    id: row.id,
    issuer_url: row.issuer_url,
    jwks: JSON.parse(row.jwks) as JwksConfig,
    check_jti: row.check_jti === 1,
    max_jwt_lifetime_seconds: row.max_jwt_lifetime_seconds,
    archived_at: row.archived_at,
  };
}
