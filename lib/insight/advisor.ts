/**
 * The rule advisor: what a rule admits that its author may not have meant, in words, with a
 * fix — over-broad wildcards, fork pull requests, prefixes that stop mid-name, unpinned shared
 * issuers, names where IDs are safer, long lifetimes, org:admin, shared audiences. Concrete
 * subjects a rule admits and refuses are subject-examples.ts's. Pure: the console asks for it
 * as the user types (lib/services/rule-advice.ts) and runs it on a saved rule's page.
 * @see docs/providers.md#pitfalls
 */
import { matchSubject } from "../core/match";
import { ORG_ADMIN_SCOPE, roleAllowsScopes, type OrganizationRole } from "../core/scopes";
import { pinsTenant, sharedIssuer, tenantPinMessage } from "../core/tenant-pin";
import type { RuleMatch } from "../core/types";
import type { ProviderId } from "../providers/preset";
import { recognizeProvider, recognizeSubject } from "../providers/recognize";
import { DELIMITERS, isPrefix, stemOf } from "./subject-examples";

export type AdviceSeverity = "danger" | "warning" | "info";

export type AdviceCode =
  | "tenant_unpinned"
  | "owner_wildcard"
  | "kubernetes_wildcard"
  | "fork_pull_requests"
  | "any_branch"
  | "prefix_without_delimiter"
  | "literal_asterisk"
  | "prefer_immutable_ids"
  | "long_lifetime"
  | "org_admin_scope"
  | "org_admin_needs_admin_role"
  | "audience_shared"
  | "audience_default";

export interface Advice {
  code: AdviceCode;
  severity: AdviceSeverity;
  title: string;
  /** What the rule admits and why it matters. */
  detail: string;
  /** What to change. */
  fix: string;
}

export interface AdviseRuleInput {
  issuerUrl: string;
  match: RuleMatch;
  oauthScope: string;
  tokenLifetimeSeconds: number;
  /** The target service account's role, when known (org:admin needs admin). */
  serviceAccountRole?: OrganizationRole | null;
  /** The audience a rule without `match.audience` expects (WIF_DEFAULT_AUDIENCE). */
  defaultAudience?: string;
}

/**
 * Lifetimes: an access token cannot be recalled once issued, and the SDKs refresh before
 * expiry on their own, so a short lifetime costs nothing. Over an hour is a warning; over a
 * working day (8 h) is a danger: a leaked token outlives the job that leaked it by far.
 */
export const LIFETIME_WARNING_SECONDS = 3600;
export const LIFETIME_DANGER_SECONDS = 8 * 3600;

const SEVERITY_ORDER: Record<AdviceSeverity, number> = { danger: 0, warning: 1, info: 2 };

/** Which token format a rule is about, from its issuer and subject. */
type Family = "github" | "gitlab" | "kubernetes" | "other";

function familyOf(issuerUrl: string, subject: string | null | undefined): Family {
  const bySubject = recognizeSubject(subject);
  if (bySubject) return FAMILIES[bySubject] ?? "other";
  // GitHub's and GitLab's issuers send their own subject format; a cluster's tokens are judged
  // by their subject alone (this advice is about the namespace and name it spells).
  const byIssuer = recognizeProvider(issuerUrl);
  return byIssuer && byIssuer.certainty !== "heuristic" && (byIssuer.id === "github-actions" || byIssuer.id === "gitlab-ci") ? FAMILIES[byIssuer.id]! : "other";
}

const FAMILIES: Partial<Record<ProviderId, Family>> = { "github-actions": "github", "gitlab-ci": "gitlab", kubernetes: "kubernetes" };

/** Whether the CEL condition mentions any of these claims (a heuristic; the advisor only advises). */
function conditionMentions(condition: string | null | undefined, names: readonly string[]): boolean {
  if (!condition) return false;
  return names.some((n) => new RegExp(`(\\.\\s*${n}\\b|\\[\\s*["']${n}["']\\s*\\])`).test(condition));
}

function pinned(match: RuleMatch, names: readonly string[]): boolean {
  return names.some((n) => typeof match.claims?.[n] === "string" && match.claims[n] !== "") || conditionMentions(match.condition, names);
}


/** Everything the advisor has to say about a rule, most severe first. */
export function adviseRule(input: AdviseRuleInput): Advice[] {
  const { match } = input;
  const subject = match.subject_prefix || null;
  const family = familyOf(input.issuerUrl, subject);
  const advice: Advice[] = [];
  const add = (a: Advice) => advice.push(a);

  // Shared issuer, no tenant pin: the server refuses it, but say so while the user types.
  if (sharedIssuer(input.issuerUrl) && !pinsTenant(input.issuerUrl, match)) {
    add({
      code: "tenant_unpinned",
      severity: "danger",
      title: "Admits workloads of every customer of this provider",
      detail: `${sharedIssuer(input.issuerUrl)!.label} signs tokens for all its customers with one issuer, and nothing in this rule names yours. The server refuses such a rule.`,
      fix: tenantPinMessage(input.issuerUrl).replace(/^.*?the rule must pin/, "Pin"),
    });
  }

  if (subject) adviseSubject(input, subject, family, add);
  else adviseNoSubject(input, family, add);

  if (family === "github" && !pinned(match, ["repository_owner_id", "repository_id"])) {
    add({
      code: "prefer_immutable_ids",
      severity: "warning",
      title: "Relies on names that can change hands",
      detail: "GitHub owners and repositories can be renamed or deleted, and a freed name can be registered by someone else; the numeric IDs never move. GitHub is moving subjects toward IDs for this reason.",
      fix: "Add claims repository_owner_id (and repository_id) with the numeric IDs from api.github.com/repos/OWNER/REPO.",
    });
  } else if (family === "gitlab" && !pinned(match, ["project_id", "namespace_id"])) {
    add({
      code: "prefer_immutable_ids",
      severity: "warning",
      title: "Relies on paths that can change hands",
      detail: "GitLab groups and projects can be renamed or moved, and a freed path can be taken by someone else; numeric IDs never move.",
      fix: "Add claims project_id (or namespace_id) with the numeric ID from the project's settings.",
    });
  } else if (family === "kubernetes" && !(match.condition && /\buid\b/.test(match.condition))) {
    add({
      code: "prefer_immutable_ids",
      severity: "info",
      title: "A re-created service account with the same name is admitted too",
      detail: "The subject names the namespace and service account; deleting and re-creating the account (by anyone allowed to) keeps the name but not the UID.",
      fix: 'Add a condition on the UID: claims["kubernetes.io"].serviceaccount.uid == "…" (kubectl get sa NAME -o jsonpath=\'{.metadata.uid}\').',
    });
  }

  if (input.tokenLifetimeSeconds > LIFETIME_WARNING_SECONDS) {
    const danger = input.tokenLifetimeSeconds > LIFETIME_DANGER_SECONDS;
    add({
      code: "long_lifetime",
      severity: danger ? "danger" : "warning",
      title: `Access tokens live ${formatDuration(input.tokenLifetimeSeconds)}`,
      detail: `An access token cannot be recalled once issued: a leaked one works until it expires. The SDKs refresh tokens before they expire on their own, so short lifetimes cost nothing${danger ? "; over 8 hours outlives almost any job" : ""}.`,
      fix: "Use 3600 seconds (1 hour) or less; most CI jobs need 900.",
    });
  }

  if (input.oauthScope.split(" ").includes(ORG_ADMIN_SCOPE)) {
    add({
      code: "org_admin_scope",
      severity: "danger",
      title: "Grants administration of the organization",
      detail: "With org:admin, any workload this rule admits can create issuers, rules and keys — including rules that admit itself forever.",
      fix: "Use workspace:developer or workspace:inference unless this workload provisions the organization, and then match one exact subject.",
    });
    if (input.serviceAccountRole && !roleAllowsScopes(input.serviceAccountRole, input.oauthScope)) {
      add({
        code: "org_admin_needs_admin_role",
        severity: "danger",
        title: "org:admin needs an admin service account",
        detail: "The target service account has the developer role; the server refuses org:admin for it.",
        fix: "Remove org:admin, or target a service account whose role is admin.",
      });
    }
  }

  adviseAudience(input, family, add);
  return advice.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function adviseSubject(input: AdviseRuleInput, subject: string, family: Family, add: (a: Advice) => void) {
  const { match } = input;
  const stem = stemOf(subject);
  const prefix = isPrefix(subject);

  if (stem.includes("*")) {
    add({
      code: "literal_asterisk",
      severity: "warning",
      title: "Only a final * is a wildcard",
      detail: `A * anywhere else is compared literally, so ${subject} matches only subjects containing a real asterisk — in practice, none.`,
      fix: "Put the * at the end, or express the pattern as a condition (claims.sub.startsWith(…) && …).",
    });
  }

  if (family === "github" && prefix) {
    const rest = stem.slice("repo:".length);
    const repoPinned = pinned(match, ["repository", "repository_id"]);
    if (!rest.includes(":") && (!rest.includes("/") || rest.endsWith("/")) && !repoPinned) {
      const owner = rest.replace(/\/$/, "") || "any owner";
      add({
        code: "owner_wildcard",
        severity: "danger",
        title: `Admits every repository of ${owner}`,
        detail: `${subject} admits any workflow in any repository ${rest.includes("/") ? `of ${owner}` : rest ? `of every owner whose name starts with ${JSON.stringify(rest)}` : "of every owner"} — including repositories created later, by anyone who can create one, and their pull requests.`,
        fix: `Name the repository and the branch or environment: repo:${rest.includes("/") ? rest : `${rest || "OWNER"}/`}REPO:ref:refs/heads/main.`,
      });
    }
  }
  if (family === "gitlab" && prefix) {
    const rest = stem.slice("project_path:".length);
    if (!rest.includes(":") && (!rest.includes("/") || rest.endsWith("/")) && !pinned(match, ["project_id", "project_path"])) {
      add({
        code: "owner_wildcard",
        severity: "danger",
        title: `Admits every project of ${rest.replace(/\/$/, "") || "every group"}`,
        detail: `${subject} admits pipelines of any project in the group and its subgroups, including projects created later.`,
        fix: `Name the project, ref type and ref: project_path:${rest.includes("/") ? rest : `${rest || "GROUP"}/`}PROJECT:ref_type:branch:ref:main.`,
      });
    }
  }
  if (family === "kubernetes" && prefix) {
    const [namespace = "", name] = stem.slice("system:serviceaccount:".length).split(":");
    if (name === undefined || name === "") {
      const scope = namespace === "" ? "cluster" : name === undefined ? "namespaces" : "namespace";
      add({
        code: "kubernetes_wildcard",
        severity: scope === "namespace" ? "warning" : "danger",
        title:
          scope === "cluster"
            ? "Admits every service account of the cluster"
            : scope === "namespaces"
              ? `Admits every service account in every namespace starting with ${namespace}`
              : `Admits every service account in namespace ${namespace}`,
        detail:
          scope === "namespace"
            ? "Any pod in the namespace, under any service account (including ones created later), is admitted."
            : "Any pod in those namespaces, under any service account, can project a token with this audience and is admitted.",
        fix: "Name the namespace and the service account: system:serviceaccount:NAMESPACE:NAME.",
      });
    }
  }

  adviseBranches(input, subject, family, add);

  if (prefix && stem.length > 0 && !DELIMITERS.has(stem.at(-1)!)) {
    const { severity, example } = delimiterRisk(stem, family);
    add({
      code: "prefix_without_delimiter",
      severity,
      title: "The prefix stops in the middle of a name",
      detail: `${subject} also matches ${example}: a prefix compares characters, not names.`,
      fix: `End the prefix at a delimiter (${stem}:* or ${stem}/*), or match the subject exactly.`,
    });
  }

  if (family === "github") {
    const owner = /^repo:([^/:]*)/.exec(stem)?.[1] || "OWNER";
    const repo = /^repo:[^/:]*\/([^:]*)/.exec(stem)?.[1] || "REPO";
    const prSubject = `repo:${owner}/${repo}:pull_request`;
    const eventPinned = (typeof match.claims?.event_name === "string" && match.claims.event_name !== "pull_request_target") || conditionMentions(match.condition, ["event_name"]);
    const targetPinned = match.claims?.event_name === "pull_request_target";
    if ((matchSubject(subject, prSubject) && !eventPinned) || targetPinned) {
      add({
        code: "fork_pull_requests",
        severity: "danger",
        title: "Admits pull requests, including code from forks",
        detail: `Pull-request runs (${prSubject}) are admitted. Runs from forks get no token on pull_request, but pull_request_target runs do — with the pull request's author choosing what runs.`,
        fix: "Match a branch (…:ref:refs/heads/main) or a protected environment (…:environment:production) instead; if pull requests need access, give them a separate rule with workspace:inference only.",
      });
    }
  }
}

/** How a subject names the repository, then a branch: `repo:OWNER/REPO:ref:refs/heads/BRANCH`, `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`. */
const BRANCH_SUBJECTS: Partial<Record<Family, { repository: string; branch: string }>> = {
  github: { repository: "repo:", branch: "ref:refs/heads/" },
  gitlab: { repository: "project_path:", branch: "ref_type:branch:ref:" },
};

/**
 * Branch wildcards: anyone who can push to the repository can create a branch, and a workflow on
 * a new branch runs whatever that branch says. Protected refs (`ref_protected`, on GitHub and
 * GitLab tokens alike) or a pinned `ref` close the door.
 */
function adviseBranches(input: AdviseRuleInput, subject: string, family: Family, add: (a: Advice) => void) {
  const grammar = BRANCH_SUBJECTS[family];
  if (!grammar || !isPrefix(subject) || pinned(input.match, ["ref", "ref_protected"])) return;
  const m = new RegExp(`^${grammar.repository}([^:]+/[^:]+):(.*)$`).exec(stemOf(subject));
  if (!m) return;
  const repository = m[1]!;
  const rest = m[2]!;
  // The prefix stops inside the branch marker (every branch), or names the start of a branch.
  const branchPrefix = grammar.branch.startsWith(rest) ? "" : rest.startsWith(grammar.branch) ? rest.slice(grammar.branch.length) : undefined;
  if (branchPrefix === undefined) return;
  const every = branchPrefix === "";
  add({
    code: "any_branch",
    severity: every ? "danger" : "warning",
    title: every ? `Admits every branch of ${repository}, including ones any contributor can push` : `Admits every branch starting with ${branchPrefix}`,
    detail: `${subject} admits workflows on ${every ? "any branch" : `any branch named ${branchPrefix}…`}. Anyone with push access can create such a branch and change the workflow on it, so the token goes to code nobody reviewed.`,
    fix: `Match the protected branch itself (${grammar.repository}${repository}:${grammar.branch}main) or an environment with required reviewers, or add the claim ref_protected = true.`,
  });
}

/** Rules with no subject: claims or a condition decide alone. */
function adviseNoSubject(input: AdviseRuleInput, family: Family, add: (a: Advice) => void) {
  const { match } = input;
  if (family !== "github") return;
  if (pinned(match, ["repository_owner", "repository_owner_id"]) && !pinned(match, ["repository", "repository_id"])) {
    add({
      code: "owner_wildcard",
      severity: "danger",
      title: "Admits every repository of the owner",
      detail: "The rule pins the owner but no repository and no subject: any workflow in any of the owner's repositories is admitted.",
      fix: "Add a subject such as repo:OWNER/REPO:ref:refs/heads/main, or claims.repository_id.",
    });
  }
  if (!pinned(match, ["event_name", "ref", "environment"])) {
    add({
      code: "fork_pull_requests",
      severity: "danger",
      title: "Admits pull requests, including code from forks",
      detail: "Nothing in the rule restricts the event, branch or environment, so pull_request_target runs — whose code a stranger's pull request can choose — are admitted.",
      fix: "Add a subject naming a branch or environment, or a condition such as claims.ref == \"refs/heads/main\" && claims.event_name == \"push\".",
    });
  }
}

/** How bad a prefix that stops mid-name is, with a subject it admits by accident. */
function delimiterRisk(stem: string, family: Family): { severity: AdviceSeverity; example: string } {
  const evil = `${stem}-evil`;
  if (family === "github") {
    const rest = stem.slice("repo:".length);
    if (!rest.includes(":")) return { severity: "danger", example: `${evil}${rest.includes("/") ? "" : "/REPO"}:ref:refs/heads/main` };
  }
  if (family === "gitlab" && !stem.includes(":ref_type")) return { severity: "danger", example: `${evil}:ref_type:branch:ref:main` };
  return { severity: "warning", example: evil };
}

const SHARED_AUDIENCES: ReadonlyArray<{ test: (aud: string, issuer: string) => boolean; whose: string }> = [
  { test: (a) => a === "sts.amazonaws.com", whose: "AWS STS (the EKS pod identity default)" },
  { test: (a) => /^(https:\/\/)?kubernetes\.default\.svc(\.cluster\.local)?$/.test(a), whose: "the cluster's API server (the default service-account token)" },
  { test: (a) => /^https:\/\/github\.com\/[^/]+$/.test(a), whose: "GitHub's default audience (every relying party that accepts the owner's default tokens)" },
  { test: (a) => /^https:\/\/buildkite\.com\/[^/]+$/.test(a), whose: "Buildkite's default audience" },
  { test: (a) => a === "api://AzureADTokenExchange", whose: "Entra ID workload identity federation with every Azure resource" },
  { test: (a, issuer) => a.replace(/\/+$/, "") === issuer.replace(/\/+$/, ""), whose: "the issuer itself (often the cluster API server's default)" },
];

function adviseAudience(input: AdviseRuleInput, family: Family, add: (a: Advice) => void) {
  const aud = input.match.audience;
  if (aud) {
    const shared = SHARED_AUDIENCES.find((s) => s.test(aud, input.issuerUrl));
    if (shared) {
      add({
        code: "audience_shared",
        severity: "warning",
        title: "The audience is shared with other services",
        detail: `${aud} is the audience of ${shared.whose}. Tokens minted for those services — which they may log or forward — are accepted here too.`,
        fix: `Request tokens with an audience only this server accepts (${input.defaultAudience ?? "https://api.anthropic.com"}, or this server's URL) and match it.`,
      });
    }
    return;
  }
  const expected = input.defaultAudience ?? "the server's default audience";
  add({
    code: "audience_default",
    severity: "info",
    title: `Tokens must have aud ${expected}`,
    detail: `The rule names no audience, so the server expects ${expected}${expected === "https://api.anthropic.com" ? ", the hosted platform's audience too: a token this workload obtains for the hosted platform is also accepted here" : ""}.${family === "github" ? " GitHub's default audience (https://github.com/OWNER) will not match: the job must request this one." : ""}`,
    fix: "Request the token with this audience (the generated snippets do), or name an audience only this server accepts.",
  });
}

function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}
