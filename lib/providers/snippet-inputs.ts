/**
 * The snippet generators' provider inputs recovered from a saved rule's subject, so the
 * result page can build snippets for any rule, including one whose match was edited by hand.
 * @see docs/providers.md#subjects-at-a-glance
 */
import type { RuleMatch } from "../core/types";
import type { ProviderId, ProviderSnippetInputs } from "./preset";

export function snippetInputsFromMatch(provider: ProviderId, match: RuleMatch): ProviderSnippetInputs {
  const sub = match.subject_prefix ?? "";
  if (provider === "github-actions" || provider === "demo") {
    const rest = /^repo:[^:]+:(.*)$/.exec(sub)?.[1];
    if (rest === undefined) return {};
    if (rest.startsWith("ref:refs/heads/")) return { github: { branch: rest.slice("ref:refs/heads/".length) } };
    if (rest.startsWith("ref:refs/tags/")) return { github: { tag: rest.slice("ref:refs/tags/".length) } };
    if (rest.startsWith("environment:")) return { github: { environment: rest.slice("environment:".length) } };
    if (rest === "pull_request") return { github: { pullRequests: true } };
    return {};
  }
  if (provider === "gitlab-ci") {
    const m = /^project_path:[^:]+:ref_type:(branch|tag):ref:(.+)$/.exec(sub);
    return m ? { gitlab: { refType: m[1] as "branch" | "tag", ref: m[2]! } } : {};
  }
  if (provider === "kubernetes") {
    const m = /^system:serviceaccount:([^:*]+):([^:*]+)$/.exec(sub);
    return m ? { kubernetes: { namespace: m[1]!, serviceAccount: m[2]! } } : {};
  }
  return {};
}
