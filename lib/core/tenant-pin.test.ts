/**
 * Rules on shared issuers (one `iss` for every customer of the provider) must pin the tenant.
 * One row per way a rule can look pinned without being so, and per way it really is.
 */
import { describe, expect, it } from "vitest";
import { pinsTenant, sharedIssuer, tenantPinMessage } from "./tenant-pin";
import type { RuleMatch } from "./types";

const GITHUB = "https://token.actions.githubusercontent.com";
const GITLAB = "https://gitlab.com";
const BUILDKITE = "https://agent.buildkite.com";
const GOOGLE = "https://accounts.google.com";

describe("pinsTenant", () => {
  it.each<[label: string, issuer: string, match: RuleMatch, pinned: boolean]>([
    // GitHub Actions
    ["an owner-scoped subject", GITHUB, { subject_prefix: "repo:acme/*" }, true],
    ["an exact subject", GITHUB, { subject_prefix: "repo:acme/app:ref:refs/heads/main" }, true],
    ["any repository", GITHUB, { subject_prefix: "repo:*" }, false],
    ["an owner prefix without its delimiter", GITHUB, { subject_prefix: "repo:acme*" }, false],
    ["an empty owner", GITHUB, { subject_prefix: "repo::acme/" }, false],
    ["a pinned owner claim", GITHUB, { claims: { repository_owner: "acme" } }, true],
    ["a pinned owner ID claim", GITHUB, { claims: { repository_owner_id: "42" } }, true],
    ["an empty owner claim", GITHUB, { claims: { repository_owner: "" } }, false],
    ["a claim that is not the tenant", GITHUB, { claims: { ref: "refs/heads/main" } }, false],
    ["a branch-only condition", GITHUB, { condition: 'claims.ref == "refs/heads/main"' }, false],
    ["a condition equating the owner", GITHUB, { condition: 'claims.repository_owner == "acme"' }, true],
    ["a condition equating the owner ID by index", GITHUB, { condition: 'claims["repository_owner_id"] == "42"' }, true],
    ["a condition with the value first", GITHUB, { condition: '"acme" == claims.repository_owner' }, true],
    ["an owner pin beside other checks", GITHUB, { condition: 'claims.ref == "refs/heads/main" && claims.repository_owner == "acme"' }, true],
    ["an owner from a literal list", GITHUB, { condition: 'claims.repository_owner in ["acme", "acme-labs"]' }, true],
    ["a condition that only tests the owner exists", GITHUB, { condition: "has(claims.repository_owner)" }, false],
    ["a condition that excludes one owner", GITHUB, { condition: 'claims.repository_owner != "evil"' }, false],
    ["an owner pin under ||", GITHUB, { condition: 'claims.repository_owner == "acme" || claims.ref == "refs/heads/main"' }, false],
    ["an owner compared with another claim", GITHUB, { condition: "claims.repository_owner == claims.actor" }, false],
    ["an owner prefix test", GITHUB, { condition: 'claims.repository_owner.startsWith("")' }, false],
    ["the claim name inside a string", GITHUB, { condition: '"claims.repository_owner" == claims.ref' }, false],
    ["an owner equated with an empty string", GITHUB, { condition: 'claims.repository_owner == ""' }, false],
    ["the shared issuer with a trailing slash", `${GITHUB}/`, { subject_prefix: "repo:*" }, false],
    // GitLab, Buildkite, Google
    ["a GitLab group path", GITLAB, { subject_prefix: "project_path:acme/*" }, true],
    ["any GitLab project", GITLAB, { subject_prefix: "project_path:*" }, false],
    ["a Buildkite organization", BUILDKITE, { subject_prefix: "organization:acme:*" }, true],
    ["any Buildkite organization", BUILDKITE, { subject_prefix: "organization:*:pipeline:deploy" }, false],
    ["a Buildkite organization claim", BUILDKITE, { claims: { organization_slug: "acme" } }, true],
    ["an exact Google subject", GOOGLE, { subject_prefix: "112233445566778899" }, true],
    ["a Google subject prefix", GOOGLE, { subject_prefix: "1122*" }, false],
    // not shared
    ["anything on a private issuer", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", { subject_prefix: "system:serviceaccount:*" }, true],
  ])("%s, on %s", (_label, issuer, match, pinned) => {
    expect(pinsTenant(issuer, match)).toBe(pinned);
  });

  it("names the provider and how to pin it in the refusal", () => {
    expect(sharedIssuer(`${GITHUB}/`)?.label).toBe("GitHub Actions");
    expect(tenantPinMessage(GITHUB)).toContain("repository_owner_id");
  });
});
