/**
 * Which GitHub Actions triggers a rule admits. For each trigger — push to the default branch,
 * push to another branch, tag push, pull_request, a fork's pull request run through
 * `pull_request_target`, each deployment environment — build the claims GitHub would send
 * (docs/providers.md shapes, repository taken from the rule) and run them through the exchange's
 * own matcher, `explainRuleMatch`. Pitfalls 1 and 5 of docs/providers.md, made visible.
 */
import { explainRuleMatch, firstFailure, type MatchCheck } from "../core/match";
import type { RuleMatch } from "../core/types";
import { githubClaims, type GithubContext, type GithubRepository } from "../providers/github-claims";
import { recognizeProvider, recognizeSubject } from "../providers/recognize";

export type GithubTrigger = "push_default_branch" | "push_other_branch" | "tag" | "pull_request" | "pull_request_target_fork" | "environment";

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
