/**
 * Snippet generation: everything a workload needs to federate through one rule, as files and
 * code samples the console shows (components/snippets/snippet-viewer.tsx).
 */
import { claudeCodeSnippet } from "./claude-code";
import { envSnippet } from "./env";
import { githubActionsSnippets } from "./github-actions";
import { gitlabCiSnippet } from "./gitlab-ci";
import { kubernetesSnippet } from "./kubernetes";
import { publicUrlWarning } from "./public-url";
import { sdkSnippets } from "./sdk";
import { tokenNoteSnippet } from "./token-notes";
import type { Snippet, SnippetInput, SnippetSet } from "./types";

export type { SnippetInput, SnippetSet } from "./types";

function providerFiles(input: SnippetInput): Snippet[] {
  switch (input.provider) {
    case "github-actions":
      return githubActionsSnippets(input);
    case "gitlab-ci":
      return [gitlabCiSnippet(input)];
    case "kubernetes":
      return [kubernetesSnippet(input)];
    default:
      return [tokenNoteSnippet(input.provider, input)];
  }
}

/** The single entry point: provider files, SDK samples (and Claude Code) and the environment block for one rule. */
export function buildSnippets(input: SnippetInput): SnippetSet {
  return { files: providerFiles(input), sdk: [...sdkSnippets(input), claudeCodeSnippet(input)], env: envSnippet(input), warning: publicUrlWarning(input.baseUrl) };
}
