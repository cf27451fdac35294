/**
 * GitHub Actions: `permissions: id-token: write`; one shared issuer for every GitHub.com
 * customer, subjects by trigger, immutable owner and repository IDs as claims.
 * @see docs/providers.md#github-actions
 */
import { answer, claimsOf, DIGITS, sharedOrSelfHostedIssuer, slugify, type FieldDescriptor, type FieldValues, type ProviderPreset } from "./preset";

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

const TRIGGERS = [
  { value: "branch", label: "Push to a branch" },
  { value: "tag", label: "Push of a tag" },
  { value: "environment", label: "Deployment environment" },
  { value: "pull_request", label: "Pull requests" },
] as const;

const REF_NAME = { pattern: "^[^\\s~^:?*\\[\\\\]+\\*?$", patternMessage: "must be a branch or tag name without spaces or ~^:?[\\; only a final * is allowed" } as const;

/** The questions of a GitHub-shaped rule (also used by the demo issuer, whose tokens look the same). */
export const githubRuleFields: readonly FieldDescriptor[] = [
  {
    name: "owner",
    label: "Owner",
    help: "The organisation or user that owns the repository, spelt exactly as on GitHub (matching is case-sensitive).",
    required: true,
    pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$",
    patternMessage: "must be a GitHub user or organisation name: letters, digits and hyphens",
    placeholder: "acme",
    mono: true,
  },
  {
    name: "repository",
    label: "Repository",
    help: "The repository name without the owner.",
    required: true,
    pattern: "^[A-Za-z0-9._-]{1,100}$",
    patternMessage: "must be a repository name: letters, digits, ., _ and -",
    placeholder: "api",
    mono: true,
  },
  { name: "trigger", label: "Which runs", help: "The token's sub differs by trigger, so a rule written for pushes does not admit deployments or pull requests.", required: true, defaultValue: "branch", options: TRIGGERS },
  { name: "branch", label: "Branch", help: "E.g. main. End it with * to match a prefix (release/*).", required: true, defaultValue: "main", when: { field: "trigger", equals: ["branch"] }, mono: true, ...REF_NAME },
  { name: "tag", label: "Tag", help: "E.g. v1.2.0, or v* for every tag starting with v.", required: true, when: { field: "trigger", equals: ["tag"] }, placeholder: "v*", mono: true, ...REF_NAME },
  {
    name: "environment",
    label: "Environment",
    help: "The job's environment: name, e.g. production. Protect it with required reviewers.",
    required: true,
    when: { field: "trigger", equals: ["environment"] },
    pattern: "^[^:*]{1,255}$",
    patternMessage: "must be an environment name without : or *",
    placeholder: "production",
    mono: true,
  },
  {
    name: "repository_owner_id",
    label: "Owner ID",
    help: "The owner's numeric ID (api.github.com/users/OWNER → id). Names can be renamed and re-registered; IDs cannot.",
    required: false,
    placeholder: "1234567",
    mono: true,
    ...DIGITS,
  },
  { name: "repository_id", label: "Repository ID", help: "The repository's numeric ID (api.github.com/repos/OWNER/REPO → id).", required: false, placeholder: "89012345", mono: true, ...DIGITS },
];

/** `repo:OWNER/REPO:…` for the chosen trigger. @see docs/providers.md#github-actions */
export function githubSubject(values: FieldValues): string {
  const base = `repo:${answer(values, "owner") ?? ""}/${answer(values, "repository") ?? ""}`;
  switch (answer(values, "trigger") ?? "branch") {
    case "tag":
      return `${base}:ref:refs/tags/${answer(values, "tag") ?? ""}`;
    case "environment":
      return `${base}:environment:${answer(values, "environment") ?? ""}`;
    case "pull_request":
      return `${base}:pull_request`;
    default:
      return `${base}:ref:refs/heads/${answer(values, "branch") ?? ""}`;
  }
}

export function composeGithubMatch(values: FieldValues) {
  const claims = claimsOf({ repository_owner_id: answer(values, "repository_owner_id"), repository_id: answer(values, "repository_id") });
  return { subject_prefix: githubSubject(values), ...(claims ? { claims } : {}) };
}

export function githubSnippetInputs(values: FieldValues) {
  switch (answer(values, "trigger") ?? "branch") {
    case "tag":
      return { github: { tag: answer(values, "tag") ?? "" } };
    case "environment":
      return { github: { environment: answer(values, "environment") ?? "" } };
    case "pull_request":
      return { github: { pullRequests: true } };
    default:
      return { github: { branch: answer(values, "branch") ?? "main" } };
  }
}

export function githubNames(values: FieldValues, issuer: string) {
  const repo = slugify(answer(values, "repository"), "github");
  const trigger = answer(values, "trigger") ?? "branch";
  const which = trigger === "pull_request" ? "pull-requests" : slugify(answer(values, trigger), trigger);
  return { issuer, serviceAccount: slugify(`${repo}-ci`, "ci"), rule: slugify(`${repo}-${which}`, "rule") };
}

export const githubPitfalls = [
  "The subject differs by trigger: repo:OWNER/REPO:ref:refs/heads/main for pushes, …:environment:NAME for jobs with an environment, …:pull_request for pull requests. A job with an environment never has a ref: subject.",
  "Matching is exact and case-sensitive: Acme/API is not acme/api.",
  "pull_request runs from forks get no token, but pull_request_target runs do; never admit pull-request subjects for a rule that deploys.",
  "Pin repository_owner_id / repository_id: names can be renamed and taken over, numeric IDs cannot.",
  "The job needs permissions: id-token: write, and must request the token with the rule's audience (GitHub's default audience is https://github.com/OWNER).",
] as const;

export const githubActions: ProviderPreset = {
  id: "github-actions",
  label: "GitHub Actions",
  description: "Workflows on GitHub.com or GitHub Enterprise Server, with the job's OIDC token.",
  issuer: sharedOrSelfHostedIssuer({
    host: { name: "ghes_host", label: "GitHub Enterprise Server host", help: "Leave empty for GitHub.com. For GitHub Enterprise Server the issuer is https://HOST/_services/token.", placeholder: "github.example.com" },
    shared: GITHUB_ISSUER,
    path: "/_services/token",
    keyModes: ["discovery"],
    note: "GitHub.com's issuer is shared by every GitHub customer: the rule must pin your owner or repository.",
  }),
  audienceField: null,
  fields: githubRuleFields,
  composeMatch: composeGithubMatch,
  pitfalls: githubPitfalls,
  snippetInputs: githubSnippetInputs,
  suggestNames: (values) => githubNames(values, answer(values, "ghes_host") ? slugify(answer(values, "ghes_host"), "github-enterprise") : "github-actions"),
};
