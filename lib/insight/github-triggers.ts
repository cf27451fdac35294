/**
 * Which GitHub Actions triggers a rule admits. For each trigger — push to the default branch,
 * push to another branch, tag push, pull_request, a fork's pull request run through
 * `pull_request_target`, each deployment environment — build the claims GitHub would send
 * (docs/providers.md shapes, repository taken from the rule) and run them through the exchange's
 * own matcher, `explainRuleMatch`. Pitfalls 1 and 5 of docs/providers.md, made visible.
 */
import { explainRuleMatch, firstFailure, type MatchCheck } from "../core/match";
import type { Claims, RuleMatch } from "../core/types";
import { GITHUB_ISSUER } from "../providers/github-actions";
import { recognizeProvider, recognizeSubject } from "../providers/recognize";

export type GithubTrigger = "push_default_branch" | "push_other_branch" | "tag" | "pull_request" | "pull_request_target_fork" | "environment";

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

/** What a default-template GitHub subject says about its trigger. */
export interface GithubSubject {
  repository: string;
  kind: "branch" | "tag" | "environment" | "pull_request" | "other";
  /** Branch, tag or environment name (with any trailing `*` of a pattern kept). */
  value: string | null;
}

export function describeGithubSubject(sub: string): GithubSubject | null {
  const m = /^repo:([^:]+):(.*)$/s.exec(sub);
  if (!m) return null;
  const [, repository, rest] = m as unknown as [string, string, string];
  const branch = /^ref:refs\/heads\/(.*)$/s.exec(rest);
  if (branch) return { repository, kind: "branch", value: branch[1]! };
  const tag = /^ref:refs\/tags\/(.*)$/s.exec(rest);
  if (tag) return { repository, kind: "tag", value: tag[1]! };
  const env = /^environment:(.*)$/s.exec(rest);
  if (env) return { repository, kind: "environment", value: env[1]! };
  if (rest === "pull_request") return { repository, kind: "pull_request", value: null };
  return { repository, kind: "other", value: null };
}

/** How a subject's trigger reads in a sentence: "a push to branch main", "the environment prod". */
export function describeTrigger(s: GithubSubject): string {
  switch (s.kind) {
    case "branch":
      return `a push to branch ${s.value}`;
    case "tag":
      return `a push of tag ${s.value}`;
    case "environment":
      return `a job in environment ${s.value}`;
    case "pull_request":
      return "a pull request";
    case "other":
      return "a custom subject template";
  }
}

export interface TriggerRow {
  trigger: GithubTrigger;
  /** "Push to main", "Environment production"… */
  label: string;
  subject: string;
  admitted: boolean;
  /** The first check that refuses this trigger, when one does. */
  failed: MatchCheck | null;
  /** Why an admitted row deserves a second look. */
  warning: string | null;
}

export interface TriggerMatrix {
  repository: { owner: string; name: string; inferred: boolean };
  defaultBranch: string;
  rows: TriggerRow[];
  /** What the matrix assumes, in words (audience, repository…). */
  assumptions: string[];
}

export interface TriggerMatrixOptions {
  /** `aud` a rule without `match.audience` expects. */
  defaultAudience: string;
  defaultBranch?: string;
  /** Environments to try besides those the rule names. */
  environments?: string[];
  /** The issuer the synthetic tokens claim (the rule's). */
  issuer?: string;
}

const stripStar = (s: string) => s.replace(/\*+$/, "");
const literal = (s: string | null | undefined) => (s && !s.includes("*") ? s : undefined);

/** The repository the rule is about: from its subject, else its `repository`/`repository_owner` claims. */
function repositoryOf(match: RuleMatch): { owner: string; name: string; inferred: boolean } {
  const pinned = match.claims?.repository;
  if (pinned && pinned.includes("/")) {
    const [owner, ...rest] = pinned.split("/");
    return { owner: owner!, name: rest.join("/"), inferred: true };
  }
  const subject = match.subject_prefix ? describeGithubSubject(match.subject_prefix) : null;
  const fromSubject = subject?.repository ?? (match.subject_prefix?.startsWith("repo:") ? match.subject_prefix.slice(5) : undefined);
  if (fromSubject) {
    const [owner, name = ""] = stripStar(fromSubject).split("/");
    const cleanName = stripStar(name.split(":")[0]!);
    if (owner) return { owner, name: cleanName || "example-repo", inferred: true };
  }
  const owner = match.claims?.repository_owner;
  if (owner) return { owner, name: "example-repo", inferred: true };
  return { owner: "example-org", name: "example-repo", inferred: false };
}

/** Environments the rule names in its subject or claims, plus those given. */
function environmentsOf(match: RuleMatch, given: string[]): string[] {
  const names = new Set<string>();
  const subject = match.subject_prefix ? describeGithubSubject(match.subject_prefix) : null;
  if (subject?.kind === "environment" && subject.value) {
    names.add(subject.value.endsWith("*") ? `${stripStar(subject.value)}production` : subject.value);
  }
  const pinned = literal(match.claims?.environment);
  if (pinned) names.add(pinned);
  for (const e of given) if (e.trim()) names.add(e.trim());
  if (names.size === 0) names.add("production");
  return [...names];
}

/**
 * The trigger matrix of `match` for a GitHub issuer. Each row is the default-template token of
 * that trigger from the rule's repository, requested with the audience the rule expects.
 */
export function githubTriggerMatrix(match: RuleMatch, options: TriggerMatrixOptions): TriggerMatrix {
  const repository = repositoryOf(match);
  const subject = match.subject_prefix ? describeGithubSubject(match.subject_prefix) : null;
  const defaultBranch = options.defaultBranch || (subject?.kind === "branch" ? literal(subject.value) : undefined) || "main";
  const otherBranch = defaultBranch === "feature/other" ? "feature/another" : "feature/other";
  const tag = subject?.kind === "tag" && subject.value ? (subject.value.endsWith("*") ? `${stripStar(subject.value)}1.0.0` : subject.value) : "v1.0.0";
  const repo: GithubRepository = { owner: repository.owner, name: repository.name, ownerId: match.claims?.repository_owner_id, id: match.claims?.repository_id };
  const audience = match.audience || options.defaultAudience;
  const claimsOptions = { audience, ...(options.issuer ? { issuer: options.issuer } : {}) };

  const cases: Array<{ trigger: GithubTrigger; label: string; context: GithubContext; warning: string | null }> = [
    { trigger: "push_default_branch", label: `Push to ${defaultBranch}`, context: { kind: "branch", branch: defaultBranch }, warning: null },
    { trigger: "push_other_branch", label: `Push to ${otherBranch}`, context: { kind: "branch", branch: otherBranch }, warning: "Any branch anyone with write access pushes gets in, unreviewed." },
    { trigger: "tag", label: `Tag push ${tag}`, context: { kind: "tag", tag }, warning: null },
    {
      trigger: "pull_request",
      label: "Pull request (same repository)",
      context: { kind: "pull_request", headBranch: "patch-1", baseBranch: defaultBranch },
      warning: "Runs unreviewed pull-request code. (Pull requests from forks get no token under pull_request.)",
    },
    {
      trigger: "pull_request_target_fork",
      label: "Fork pull request via pull_request_target",
      context: { kind: "branch", branch: defaultBranch, event: "pull_request_target" },
      warning: "A stranger's fork can trigger this; if the workflow checks out the pull request's code, that code gets the access token.",
    },
    ...environmentsOf(match, options.environments ?? []).map((environment) => ({
      trigger: "environment" as const,
      label: `Environment ${environment}`,
      context: { kind: "environment" as const, environment, branch: defaultBranch },
      warning: null,
    })),
  ];

  const rows = cases.map(({ trigger, label, context, warning }): TriggerRow => {
    const claims = githubClaims(repo, context, claimsOptions);
    const failed = firstFailure(explainRuleMatch(match, claims, { defaultAudience: options.defaultAudience })) ?? null;
    return { trigger, label, subject: claims.sub as string, admitted: failed === null, failed, warning: failed === null ? warning : null };
  });

  const assumptions = [
    `Tokens are requested with audience ${audience}${match.audience ? "" : " (the server's default; the rule names none)"}.`,
    repository.inferred
      ? `The repository is ${repository.owner}/${repository.name}, taken from the rule.`
      : `The rule names no repository; ${repository.owner}/${repository.name} stands in for one.`,
    "Subjects use GitHub's default template; an organisation or repository can customise it (include_claim_keys).",
  ];
  if (match.condition) assumptions.push("The rule's condition is evaluated on these synthetic claims; claims it reads that GitHub would set differently change the outcome.");
  return { repository, defaultBranch, rows, assumptions };
}

/**
 * The trigger matrix of a rule, when its tokens are GitHub's: its issuer is GitHub's, or it is
 * this server's demo issuer (which mints GitHub-shaped tokens) and its subject is GitHub-shaped.
 */
export function ruleTriggerMatrix(issuerUrl: string, match: RuleMatch, options: { defaultAudience: string; demoIssuerUrl?: string | undefined }): TriggerMatrix | null {
  const provider = recognizeProvider(issuerUrl, { demoIssuerUrl: options.demoIssuerUrl })?.id;
  const github = provider === "github-actions" || (provider === "demo" && recognizeSubject(match.subject_prefix) === "github-actions");
  return github ? githubTriggerMatrix(match, { defaultAudience: options.defaultAudience, issuer: issuerUrl }) : null;
}
