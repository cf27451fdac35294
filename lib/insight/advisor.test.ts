import { describe, expect, it } from "vitest";
import { adviseRule, LIFETIME_DANGER_SECONDS, LIFETIME_WARNING_SECONDS, type AdviceCode, type AdviseRuleInput } from "./advisor";
import { examples } from "./subject-examples";
import { matchSubject } from "../core/match";

const GITHUB = "https://token.actions.githubusercontent.com";
const GITLAB = "https://gitlab.com";
const CLUSTER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const PRIVATE = "https://idp.example.com";

/** A rule the advisor has nothing serious to say about; cases override one thing. */
const safe: AdviseRuleInput = {
  issuerUrl: GITHUB,
  match: { subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { repository_owner_id: "123", repository_id: "456" } },
  oauthScope: "workspace:developer",
  tokenLifetimeSeconds: 3600,
  serviceAccountRole: "developer",
  defaultAudience: "https://api.anthropic.com",
};

const codes = (input: AdviseRuleInput) => adviseRule(input).map((a) => a.code);
const severityOf = (input: AdviseRuleInput, code: AdviceCode) => adviseRule(input).find((a) => a.code === code)?.severity;

describe("adviseRule", () => {
  it("has only the informational default-audience note for a pinned, exact, short-lived rule", () => {
    expect(codes(safe)).toEqual(["audience_default"]);
  });

  // One row per warning: an input that triggers it, and a close one that must not.
  const cases: Array<{ code: AdviceCode; name: string; triggers: Partial<AdviseRuleInput>; quiet: Partial<AdviseRuleInput>; severity: "danger" | "warning" | "info" }> = [
    {
      code: "owner_wildcard",
      name: "repo:org/* admits every repository of the owner",
      triggers: { match: { subject_prefix: "repo:acme/*", claims: { repository_owner_id: "123" } } },
      quiet: { match: { subject_prefix: "repo:acme/api:*", claims: { repository_owner_id: "123" } } },
      severity: "danger",
    },
    {
      code: "owner_wildcard",
      name: "repo:org* (no slash) admits every repository too",
      triggers: { match: { subject_prefix: "repo:acme*" } },
      quiet: { match: { subject_prefix: "repo:acme/*", claims: { repository_id: "456" } } },
      severity: "danger",
    },
    {
      code: "owner_wildcard",
      name: "an owner claim without a subject or repository admits every repository",
      triggers: { match: { claims: { repository_owner: "acme", ref: "refs/heads/main" } } },
      quiet: { match: { claims: { repository_owner: "acme", repository: "acme/api", ref: "refs/heads/main" } } },
      severity: "danger",
    },
    {
      code: "owner_wildcard",
      name: "project_path:group/* admits every GitLab project of the group",
      triggers: { issuerUrl: GITLAB, match: { subject_prefix: "project_path:acme/*" } },
      quiet: { issuerUrl: GITLAB, match: { subject_prefix: "project_path:acme/api:*" } },
      severity: "danger",
    },
    {
      code: "kubernetes_wildcard",
      name: "system:serviceaccount:ns:* admits every service account of the namespace",
      triggers: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:*" } },
      quiet: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api" } },
      severity: "warning",
    },
    {
      code: "kubernetes_wildcard",
      name: "system:serviceaccount:* admits the whole cluster",
      triggers: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:*" } },
      quiet: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api" } },
      severity: "danger",
    },
    {
      code: "fork_pull_requests",
      name: "an exact pull_request subject",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:pull_request" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:environment:production" } },
      severity: "danger",
    },
    {
      code: "fork_pull_requests",
      name: "a repository-wide prefix admits pull_request subjects",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/*" } },
      severity: "danger",
    },
    {
      code: "fork_pull_requests",
      name: "a repository-wide prefix is fine when the event is pinned to push",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:*", claims: { ...safe.match.claims, event_name: "pull_request_target" } } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:*", claims: { ...safe.match.claims, event_name: "push" } } },
      severity: "danger",
    },
    {
      code: "fork_pull_requests",
      name: "claims without a subject, event, ref or environment",
      triggers: { match: { claims: { repository_id: "456", repository_owner_id: "123" } } },
      quiet: { match: { claims: { repository_id: "456", repository_owner_id: "123" }, condition: 'claims.event_name == "push"' } },
      severity: "danger",
    },
    {
      code: "any_branch",
      name: "refs/heads/* admits every branch, including ones any contributor can push",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/main" } },
      severity: "danger",
    },
    {
      code: "any_branch",
      name: "a repository-wide prefix admits every branch too",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:environment:production" } },
      severity: "danger",
    },
    {
      code: "any_branch",
      name: "refs/heads/* is fine when the ref must be protected",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/*", claims: { ...safe.match.claims, ref_protected: "true" } } },
      severity: "danger",
    },
    {
      code: "any_branch",
      name: "a branch-name prefix admits branches anyone can create",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/release/*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/tags/*" } },
      severity: "warning",
    },
    {
      code: "any_branch",
      name: "GitLab: every branch of a project",
      triggers: { issuerUrl: GITLAB, match: { subject_prefix: "project_path:acme/api:ref_type:branch:ref:*", claims: { project_id: "9" } } },
      quiet: { issuerUrl: GITLAB, match: { subject_prefix: "project_path:acme/api:ref_type:branch:ref:main", claims: { project_id: "9" } } },
      severity: "danger",
    },
    {
      code: "prefix_without_delimiter",
      name: "repo:org/app* also matches repo:org/app-evil",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/app*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/app:ref:refs/heads/*" } },
      severity: "danger",
    },
    {
      code: "prefix_without_delimiter",
      name: "a branch prefix that stops mid-name",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/release*" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/release/*" } },
      severity: "warning",
    },
    {
      code: "prefix_without_delimiter",
      name: "any issuer: a prefix ending in a letter",
      triggers: { issuerUrl: PRIVATE, match: { subject_prefix: "team-a*" } },
      quiet: { issuerUrl: PRIVATE, match: { subject_prefix: "team-a:*" } },
      severity: "warning",
    },
    {
      code: "literal_asterisk",
      name: "a * in the middle is literal",
      triggers: { match: { ...safe.match, subject_prefix: "repo:acme/*:ref:refs/heads/main" } },
      quiet: { match: { ...safe.match, subject_prefix: "repo:acme/api:ref:refs/heads/main" } },
      severity: "warning",
    },
    {
      code: "tenant_unpinned",
      name: "GitHub's shared issuer with only a branch condition",
      triggers: { match: { condition: 'claims.ref == "refs/heads/main"' } },
      quiet: { match: { condition: 'claims.ref == "refs/heads/main" && claims.repository_owner_id == "123"' } },
      severity: "danger",
    },
    {
      code: "tenant_unpinned",
      name: "Buildkite's shared issuer without organization_slug",
      triggers: { issuerUrl: "https://agent.buildkite.com", match: { subject_prefix: "organization:*" } },
      quiet: { issuerUrl: "https://agent.buildkite.com", match: { subject_prefix: "organization:*", claims: { organization_slug: "acme" } } },
      severity: "danger",
    },
    {
      code: "prefer_immutable_ids",
      name: "GitHub names without repository_owner_id / repository_id",
      triggers: { match: { subject_prefix: "repo:acme/api:ref:refs/heads/main" } },
      quiet: { match: { subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { repository_id: "456" } } },
      severity: "warning",
    },
    {
      code: "prefer_immutable_ids",
      name: "GitLab paths without project_id",
      triggers: { issuerUrl: GITLAB, match: { subject_prefix: "project_path:acme/api:ref_type:branch:ref:main" } },
      quiet: { issuerUrl: GITLAB, match: { subject_prefix: "project_path:acme/api:ref_type:branch:ref:main", claims: { project_id: "42" } } },
      severity: "warning",
    },
    {
      code: "prefer_immutable_ids",
      name: "a Kubernetes service account without its UID",
      triggers: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api" } },
      quiet: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api", condition: 'claims["kubernetes.io"].serviceaccount.uid == "0f8fad5b-d9cb-469f-a165-70867728950e"' } },
      severity: "info",
    },
    {
      code: "long_lifetime",
      name: "over an hour is a warning",
      triggers: { tokenLifetimeSeconds: LIFETIME_WARNING_SECONDS + 1 },
      quiet: { tokenLifetimeSeconds: LIFETIME_WARNING_SECONDS },
      severity: "warning",
    },
    {
      code: "long_lifetime",
      name: "over eight hours is a danger",
      triggers: { tokenLifetimeSeconds: LIFETIME_DANGER_SECONDS + 1 },
      quiet: { tokenLifetimeSeconds: 900 },
      severity: "danger",
    },
    {
      code: "org_admin_scope",
      name: "org:admin in the scope",
      triggers: { oauthScope: "workspace:developer org:admin", serviceAccountRole: "admin" },
      quiet: { oauthScope: "workspace:developer workspace:inference", serviceAccountRole: "admin" },
      severity: "danger",
    },
    {
      code: "org_admin_needs_admin_role",
      name: "org:admin for a developer service account",
      triggers: { oauthScope: "org:admin", serviceAccountRole: "developer" },
      quiet: { oauthScope: "org:admin", serviceAccountRole: "admin" },
      severity: "danger",
    },
    {
      code: "audience_shared",
      name: "the EKS default audience",
      triggers: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api", audience: "sts.amazonaws.com" } },
      quiet: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api", audience: "https://wif.example.com" } },
      severity: "warning",
    },
    {
      code: "audience_shared",
      name: "GitHub's default audience https://github.com/OWNER",
      triggers: { match: { ...safe.match, audience: "https://github.com/acme" } },
      quiet: { match: { ...safe.match, audience: "https://api.anthropic.com" } },
      severity: "warning",
    },
    {
      code: "audience_shared",
      name: "the issuer URL as audience (a cluster API server's default)",
      triggers: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api", audience: `${CLUSTER}/` } },
      quiet: { issuerUrl: CLUSTER, match: { subject_prefix: "system:serviceaccount:payments:api", audience: "wif-console" } },
      severity: "warning",
    },
    {
      code: "audience_default",
      name: "no audience: the server's default, shared with the hosted platform",
      triggers: { match: { ...safe.match, audience: null } },
      quiet: { match: { ...safe.match, audience: "https://wif.example.com" } },
      severity: "info",
    },
  ];

  it.each(cases)("$code: $name", ({ code, triggers, quiet, severity }) => {
    const on = { ...safe, ...triggers };
    const off = { ...safe, ...quiet };
    expect(codes(on)).toContain(code);
    expect(severityOf(on, code)).toBe(severity);
    expect(codes(off)).not.toContain(code);
  });

  it("every piece of advice has a title, a detail and a fix", () => {
    const all = adviseRule({ ...safe, match: { subject_prefix: "repo:acme*" }, oauthScope: "org:admin", tokenLifetimeSeconds: 86400 });
    expect(all.length).toBeGreaterThan(4);
    for (const a of all) {
      expect(a.title.length).toBeGreaterThan(5);
      expect(a.detail.length).toBeGreaterThan(10);
      expect(a.fix.length).toBeGreaterThan(10);
    }
  });

  it("names the subject it admits by accident when a prefix stops mid-name", () => {
    const advice = adviseRule({ ...safe, match: { ...safe.match, subject_prefix: "repo:org/app*" } }).find((a) => a.code === "prefix_without_delimiter")!;
    expect(advice.detail).toContain("repo:org/app-evil");
    expect(matchSubject("repo:org/app*", "repo:org/app-evil:ref:refs/heads/main")).toBe(true);
  });

  it("repo:* admits every repository of every owner (and pins no tenant)", () => {
    const advice = adviseRule({ ...safe, match: { subject_prefix: "repo:*" } });
    expect(advice.find((a) => a.code === "owner_wildcard")?.detail).toContain("any repository of every owner");
    expect(advice.map((a) => a.code)).toContain("tenant_unpinned");
  });

  it("orders advice most severe first", () => {
    const order = { danger: 0, warning: 1, info: 2 };
    const severities = adviseRule({ ...safe, match: { subject_prefix: "repo:acme/api:*" }, tokenLifetimeSeconds: 7200 }).map((a) => order[a.severity]);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
  });
});

describe("examples", () => {
  it("an exact GitHub subject admits itself and refuses the other triggers, the case variant and other repositories", () => {
    const ex = examples({ subject_prefix: "repo:acme/api:ref:refs/heads/main" });
    expect(ex.matches).toEqual(["repo:acme/api:ref:refs/heads/main"]);
    expect(ex.rejects).toEqual(
      expect.arrayContaining(["repo:acme/api:pull_request", "repo:acme/api:environment:production", "repo:acme/api:ref:refs/heads/feature-x", "repo:Acme/api:ref:refs/heads/main"]),
    );
  });

  it("a prefix without delimiter shows the look-alike repository among the matches", () => {
    const ex = examples({ subject_prefix: "repo:org/app*" });
    expect(ex.matches).toContain("repo:org/app:ref:refs/heads/main");
    expect(ex.matches).toContain("repo:org/app-evil:ref:refs/heads/main");
    expect(ex.rejects).toContain("repo:other-org/app:ref:refs/heads/main");
  });

  it("an owner wildcard matches other repositories of the owner and refuses other owners", () => {
    const ex = examples({ subject_prefix: "repo:acme/*" });
    expect(ex.matches).toEqual(expect.arrayContaining(["repo:acme/api:pull_request", "repo:acme/other-repo:ref:refs/heads/main"]));
    expect(ex.rejects).toContain("repo:other-org/api:ref:refs/heads/main");
  });

  it("a branch prefix ending at / admits branches below it only", () => {
    const ex = examples({ subject_prefix: "repo:acme/api:ref:refs/heads/release/*" });
    expect(ex.matches).toEqual(["repo:acme/api:ref:refs/heads/release/release-1"]);
    expect(ex.rejects).toContain("repo:acme/api:ref:refs/heads/main");
  });

  it("GitLab subjects", () => {
    const ex = examples({ subject_prefix: "project_path:acme/api:ref_type:branch:ref:main" });
    expect(ex.matches).toEqual(["project_path:acme/api:ref_type:branch:ref:main"]);
    expect(ex.rejects).toEqual(expect.arrayContaining(["project_path:acme/api:ref_type:tag:ref:v1.2.0", "project_path:acme/api-fork:ref_type:branch:ref:main"]));
  });

  it("Kubernetes: a namespace wildcard admits other service accounts of the namespace only", () => {
    const ex = examples({ subject_prefix: "system:serviceaccount:payments:*" });
    expect(ex.matches).toEqual(expect.arrayContaining(["system:serviceaccount:payments:api", "system:serviceaccount:payments:default"]));
    expect(ex.rejects).toEqual(expect.arrayContaining(["system:serviceaccount:kube-system:api", "system:serviceaccount:payments-staging:api"]));
  });

  it("any other subject: exact and prefix", () => {
    expect(examples({ subject_prefix: "workload:deployer" })).toEqual({ matches: ["workload:deployer"], rejects: ["workload:deployer-2", "Workload:deployer", "workload:deploye"] });
    const prefix = examples({ subject_prefix: "team-a:*" });
    expect(prefix.matches).toEqual(["team-a:main", "team-a:x"]);
    expect(prefix.rejects).toContain("Team-a:");
  });

  it("every example is classified by the matcher itself", () => {
    for (const pattern of ["repo:acme/api:*", "repo:acme*", "project_path:acme/*", "system:serviceaccount:*", "arn:aws:iam::123456789012:role/deployer", "org/1/project/2/user/*"]) {
      const ex = examples({ subject_prefix: pattern });
      expect(ex.matches.length).toBeGreaterThan(0);
      for (const s of ex.matches) expect(matchSubject(pattern, s)).toBe(true);
      for (const s of ex.rejects) expect(matchSubject(pattern, s)).toBe(false);
    }
  });

  it("says so when the rule does not look at sub", () => {
    expect(examples({ claims: { oid: "x" } })).toEqual({ matches: [], rejects: [], note: expect.stringContaining("does not look at sub") });
  });
});
