import { describe, expect, it } from "vitest";
import type { RuleMatch } from "../core/types";
import { githubClaims } from "../providers/github-claims";
import { describeGithubSubject, githubTriggerMatrix, type GithubTrigger } from "./github-triggers";

const AUD = "https://api.anthropic.com";

/** trigger (or environment label) → admitted, for compact expectations. */
function admitted(match: RuleMatch, options: { environments?: string[] } = {}): Record<string, boolean> {
  const matrix = githubTriggerMatrix(match, { defaultAudience: AUD, ...options });
  return Object.fromEntries(matrix.rows.map((r) => [r.trigger === "environment" ? r.label : r.trigger, r.admitted]));
}

const none: Record<Exclude<GithubTrigger, "environment">, false> = {
  push_default_branch: false,
  push_other_branch: false,
  tag: false,
  pull_request: false,
  pull_request_target_fork: false,
};

describe("githubTriggerMatrix", () => {
  it("a rule for pushes to main admits only pushes to main", () => {
    expect(admitted({ subject_prefix: "repo:acme/api:ref:refs/heads/main" })).toEqual({ ...none, push_default_branch: true, "Environment production": false });
  });

  it("refuses the other triggers on the subject, naming found and expected", () => {
    const row = githubTriggerMatrix({ subject_prefix: "repo:acme/api:ref:refs/heads/main" }, { defaultAudience: AUD }).rows.find((r) => r.trigger === "pull_request")!;
    expect(row.subject).toBe("repo:acme/api:pull_request");
    expect(row.failed).toMatchObject({ check: "subject_prefix", reason: "match_subject_prefix", found: "repo:acme/api:pull_request", expected: "repo:acme/api:ref:refs/heads/main" });
  });

  it("a whole-repository wildcard admits every trigger, fork pull requests included, with warnings", () => {
    const matrix = githubTriggerMatrix({ subject_prefix: "repo:acme/api:*" }, { defaultAudience: AUD });
    expect(matrix.rows.every((r) => r.admitted)).toBe(true);
    const fork = matrix.rows.find((r) => r.trigger === "pull_request_target_fork")!;
    expect(fork.warning).toMatch(/fork/);
    expect(matrix.rows.find((r) => r.trigger === "push_other_branch")!.warning).toMatch(/unreviewed/);
    expect(matrix.rows.find((r) => r.trigger === "push_default_branch")!.warning).toBeNull();
  });

  it("an environment rule admits only jobs in that environment", () => {
    expect(admitted({ subject_prefix: "repo:acme/api:environment:prod" })).toEqual({ ...none, "Environment prod": true });
  });

  it("tries the environments it is given besides the rule's", () => {
    expect(admitted({ subject_prefix: "repo:acme/api:environment:prod" }, { environments: ["staging"] })).toEqual({ ...none, "Environment prod": true, "Environment staging": false });
  });

  it("a tag-pattern rule admits tag pushes that fit the pattern", () => {
    const matrix = githubTriggerMatrix({ subject_prefix: "repo:acme/api:ref:refs/tags/v*" }, { defaultAudience: AUD });
    const tag = matrix.rows.find((r) => r.trigger === "tag")!;
    expect(tag).toMatchObject({ admitted: true, subject: "repo:acme/api:ref:refs/tags/v1.0.0" });
    expect(matrix.rows.filter((r) => r.admitted)).toHaveLength(1);
  });

  it("a pull_request rule also admits fork pull requests run through pull_request_target", () => {
    expect(admitted({ subject_prefix: "repo:acme/api:pull_request" })).toMatchObject({ pull_request: true, pull_request_target_fork: true, push_default_branch: false });
  });

  it("pinning ref to main by claim still admits pull_request_target runs, whose ref is the base branch", () => {
    const result = admitted({ claims: { repository: "acme/api", ref: "refs/heads/main" } });
    expect(result).toEqual({ ...none, push_default_branch: true, pull_request_target_fork: true, "Environment production": true });
  });

  it("a condition on event_name shuts out pull requests", () => {
    const matrix = githubTriggerMatrix({ subject_prefix: "repo:acme/*", condition: 'claims.event_name == "push"' }, { defaultAudience: AUD });
    const byTrigger = Object.fromEntries(matrix.rows.map((r) => [r.trigger, r]));
    expect(byTrigger.pull_request!.failed?.check).toBe("condition");
    expect(byTrigger.pull_request_target_fork!.admitted).toBe(false);
    expect(byTrigger.push_other_branch!.admitted).toBe(true);
    expect(matrix.assumptions.join(" ")).toMatch(/condition/);
  });

  it("uses the rule's repository and pinned IDs, so a rule pinning repository_owner_id still matches", () => {
    const matrix = githubTriggerMatrix({ subject_prefix: "repo:acme/api:ref:refs/heads/main", claims: { repository_owner_id: "4242" } }, { defaultAudience: AUD });
    expect(matrix.repository).toEqual({ owner: "acme", name: "api", inferred: true });
    expect(matrix.rows[0]!.admitted).toBe(true);
  });

  it("requests the rule's audience, or the server default when the rule names none", () => {
    expect(githubTriggerMatrix({ subject_prefix: "repo:acme/api:*", audience: "wif-test" }, { defaultAudience: AUD }).rows.every((r) => r.admitted)).toBe(true);
    const matrix = githubTriggerMatrix({ subject_prefix: "repo:acme/api:*" }, { defaultAudience: AUD });
    expect(matrix.assumptions[0]).toContain(`audience ${AUD} (the server's default`);
  });

  it("takes the default branch from the rule's subject", () => {
    const matrix = githubTriggerMatrix({ subject_prefix: "repo:acme/api:ref:refs/heads/release" }, { defaultAudience: AUD });
    expect(matrix.defaultBranch).toBe("release");
    expect(matrix.rows[0]).toMatchObject({ label: "Push to release", admitted: true });
  });

  it("stands in a repository when the rule names none, and says so", () => {
    const matrix = githubTriggerMatrix({ condition: 'claims.ref == "refs/heads/main"' }, { defaultAudience: AUD });
    expect(matrix.repository.inferred).toBe(false);
    expect(matrix.assumptions[1]).toMatch(/stands in/);
  });
});

describe("githubClaims", () => {
  it("follows GitHub's default subject template for each context", () => {
    const repo = { owner: "acme", name: "api" };
    expect(githubClaims(repo, { kind: "branch", branch: "main" }, { audience: AUD })).toMatchObject({ sub: "repo:acme/api:ref:refs/heads/main", ref: "refs/heads/main", event_name: "push", repository: "acme/api" });
    expect(githubClaims(repo, { kind: "tag", tag: "v2" }, { audience: AUD })).toMatchObject({ sub: "repo:acme/api:ref:refs/tags/v2", ref_type: "tag" });
    expect(githubClaims(repo, { kind: "environment", environment: "prod", branch: "main" }, { audience: AUD })).toMatchObject({ sub: "repo:acme/api:environment:prod", environment: "prod" });
    expect(githubClaims(repo, { kind: "pull_request", headBranch: "x", baseBranch: "main" }, { audience: AUD })).toMatchObject({ sub: "repo:acme/api:pull_request", event_name: "pull_request", head_ref: "x" });
  });
});

describe("describeGithubSubject", () => {
  it.each([
    ["repo:acme/api:ref:refs/heads/main", { repository: "acme/api", kind: "branch", value: "main" }],
    ["repo:acme/api:ref:refs/tags/v1", { repository: "acme/api", kind: "tag", value: "v1" }],
    ["repo:acme/api:environment:prod", { repository: "acme/api", kind: "environment", value: "prod" }],
    ["repo:acme/api:pull_request", { repository: "acme/api", kind: "pull_request", value: null }],
    ["repo:acme/api:job_workflow_ref:x", { repository: "acme/api", kind: "other", value: null }],
  ])("%s", (sub, expected) => {
    expect(describeGithubSubject(sub)).toEqual(expected);
  });

  it("is null for subjects that are not GitHub's", () => {
    expect(describeGithubSubject("system:serviceaccount:ci:deployer")).toBeNull();
  });
});
