/**
 * Shared, multi-tenant issuers (one `iss` for every customer of the provider) and whether
 * a rule pins the tenant. A rule on such an issuer that pins nothing admits every workload
 * of every customer of the provider, so the platform refuses it at create and update.
 * @see docs/behaviour.md#tenant-pinning
 * @see the official SDK's `rules.create` docs: "Rules on well-known shared issuers (GitHub Actions, GitLab,
 * Buildkite, Terraform Cloud, Google) must constrain tenant identity".
 */
import { pinnedClaims } from "./cel";
import type { RuleMatch } from "./types";

interface SharedIssuer {
  label: string;
  /** Claims that identify the tenant (or something narrower inside it). */
  claims: readonly string[];
  /** A subject prefix that names the tenant, e.g. `repo:acme/`. */
  subjectPins: (subject: string) => boolean;
  example: string;
}

const notWildcardSegment = (s: string | undefined) => s !== undefined && s.length > 0 && !s.includes("*");

const SHARED_ISSUERS: Record<string, SharedIssuer> = {
  "https://token.actions.githubusercontent.com": {
    label: "GitHub Actions",
    claims: ["repository_owner", "repository_owner_id", "repository", "repository_id", "enterprise", "enterprise_id"],
    // `repo:OWNER/…` with the owner written out in full (the `/` ends it).
    subjectPins: (s) => /^repo:[^/*:]+\//.test(s),
    example: "a subject_prefix such as repo:YOUR_ORG/YOUR_REPO:ref:refs/heads/main, or claims.repository_owner_id",
  },
  "https://gitlab.com": {
    label: "GitLab",
    claims: ["namespace_id", "namespace_path", "project_id", "project_path"],
    subjectPins: (s) => /^project_path:[^/*:]+\//.test(s),
    example: "a subject_prefix such as project_path:YOUR_GROUP/PROJECT:ref_type:branch:ref:main, or claims.namespace_id",
  },
  "https://agent.buildkite.com": {
    label: "Buildkite",
    claims: ["organization_slug", "organization_id"],
    subjectPins: (s) => notWildcardSegment(/^organization:([^:]*):/.exec(s)?.[1]),
    example: "claims.organization_slug, or a subject_prefix such as organization:YOUR_ORG:pipeline:…",
  },
  "https://app.terraform.io": {
    label: "HCP Terraform",
    claims: ["terraform_organization_id", "terraform_organization_name"],
    subjectPins: (s) => notWildcardSegment(/^organization:([^:]*):/.exec(s)?.[1]),
    example: "claims.terraform_organization_name, or a subject_prefix such as organization:YOUR_ORG:project:…",
  },
  "https://accounts.google.com": {
    label: "Google",
    claims: ["email", "azp", "sub"],
    // Google subjects are numeric account IDs: only an exact subject pins one.
    subjectPins: (s) => !s.endsWith("*"),
    example: "an exact subject_prefix (the service account's numeric unique ID) or claims.email",
  },
};

/** The shared issuer `issuerUrl` names (exact, or with a trailing slash), if any. */
export function sharedIssuer(issuerUrl: string): SharedIssuer | undefined {
  return SHARED_ISSUERS[issuerUrl] ?? SHARED_ISSUERS[issuerUrl.replace(/\/+$/, "")];
}

/** Whether `match` constrains the tenant on `issuerUrl`; always true for non-shared issuers. */
export function pinsTenant(issuerUrl: string, match: RuleMatch): boolean {
  const shared = sharedIssuer(issuerUrl);
  if (!shared) return true;
  if (match.subject_prefix && shared.subjectPins(match.subject_prefix)) return true;
  if (match.claims && shared.claims.some((c) => typeof match.claims?.[c] === "string" && match.claims[c] !== "")) return true;
  if (match.condition) {
    // Mentioning the claim is not enough (`has(claims.repository_owner)` admits every owner).
    const pinned = pinnedClaims(match.condition);
    if (shared.claims.some((c) => pinned.has(c))) return true;
  }
  return false;
}

/** The 400 message for a rule that does not pin the tenant, naming how to fix it. */
export function tenantPinMessage(issuerUrl: string): string {
  const shared = sharedIssuer(issuerUrl);
  return `${shared?.label ?? "this"} issuer is shared by every ${shared?.label ?? ""} customer; the rule must pin your tenant with ${shared?.example ?? "an identity claim"}`;
}
