/**
 * The claims of a GitHub Actions OIDC token (docs/providers.md shapes): what the tester's
 * sample minter signs and what the trigger matrix (lib/insight/github-triggers.ts) runs
 * through the matcher. Plain data, safe for the browser.
 */
import type { Claims } from "../core/types";
import { GITHUB_ISSUER } from "./github-actions";

/** The repository a synthetic token comes from. IDs are set when the rule pins them. */
export interface GithubRepository {
  owner: string;
  name: string;
  ownerId?: string | undefined;
  id?: string | undefined;
}

export type GithubContext =
  | { kind: "branch"; branch: string; event?: "push" | "pull_request_target" | "workflow_dispatch" }
  | { kind: "tag"; tag: string }
  | { kind: "pull_request"; headBranch: string; baseBranch: string }
  | { kind: "environment"; environment: string; branch: string };

/**
 * The claims of a GitHub Actions OIDC token for `repo` in `context`, with the default subject
 * template. `pull_request_target` runs in the base repository's context: its `ref` is the base
 * branch, while the code may be the fork's.
 */
export function githubClaims(repo: GithubRepository, context: GithubContext, options: { audience: string; now?: number; issuer?: string }): Claims {
  const full = `${repo.owner}/${repo.name}`;
  const base = {
    iss: options.issuer ?? GITHUB_ISSUER,
    aud: options.audience,
    repository: full,
    repository_owner: repo.owner,
    repository_id: repo.id ?? "123456789",
    repository_owner_id: repo.ownerId ?? "987654321",
    repository_visibility: "private",
    actor: "octocat",
    actor_id: "583231",
    workflow: "CI",
    run_id: "1000000001",
    run_number: "42",
    run_attempt: "1",
    runner_environment: "github-hosted",
    sha: "4f2a7c1e9b3d5f60718293a4b5c6d7e8f9012345",
  };
  const ref = (r: string, extra: Claims) => ({
    ...base,
    ref: r,
    workflow_ref: `${full}/.github/workflows/ci.yml@${r}`,
    job_workflow_ref: `${full}/.github/workflows/ci.yml@${r}`,
    ...extra,
  });
  switch (context.kind) {
    case "branch": {
      const event = context.event ?? "push";
      const prTarget = event === "pull_request_target";
      return ref(`refs/heads/${context.branch}`, {
        // GitHub names pull_request_target runs like pull requests, though they run on the base branch.
        sub: prTarget ? `repo:${full}:pull_request` : `repo:${full}:ref:refs/heads/${context.branch}`,
        ref_type: "branch",
        ref_protected: "true",
        event_name: event,
        base_ref: prTarget ? context.branch : "",
        head_ref: prTarget ? "patch-1" : "",
      });
    }
    case "tag":
      return ref(`refs/tags/${context.tag}`, { sub: `repo:${full}:ref:refs/tags/${context.tag}`, ref_type: "tag", ref_protected: "false", event_name: "push", base_ref: "", head_ref: "" });
    case "pull_request":
      return ref("refs/pull/7/merge", {
        sub: `repo:${full}:pull_request`,
        ref_type: "branch",
        ref_protected: "false",
        event_name: "pull_request",
        base_ref: context.baseBranch,
        head_ref: context.headBranch,
      });
    case "environment":
      return ref(`refs/heads/${context.branch}`, {
        sub: `repo:${full}:environment:${context.environment}`,
        environment: context.environment,
        ref_type: "branch",
        ref_protected: "true",
        event_name: "push",
        base_ref: "",
        head_ref: "",
      });
  }
}
