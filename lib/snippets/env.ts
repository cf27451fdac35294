/**
 * The `ANTHROPIC_*` variables that switch the official SDKs and the CLI to workload identity
 * federation (docs/behaviour.md#client-behaviour), and the env file that sets them.
 */
import { shellQuote } from "./escape";
import type { ProviderId, Snippet, SnippetInput } from "./types";

/** Where the identity token is mounted (Kubernetes) or written by the job's fetch step. */
export function identityTokenFile(provider: ProviderId): string {
  return provider === "kubernetes" ? `${KUBERNETES_TOKEN_DIR}/${KUBERNETES_TOKEN_NAME}` : "/tmp/anthropic-identity-token";
}

export const KUBERNETES_TOKEN_DIR = "/var/run/secrets/anthropic";
export const KUBERNETES_TOKEN_NAME = "token";

/** The federation variables in the order the docs list them; the token file is added by each target. */
export function federationEnv(input: SnippetInput): Array<[name: string, value: string]> {
  const env: Array<[string, string]> = [
    ["ANTHROPIC_BASE_URL", baseUrlOf(input)],
    ["ANTHROPIC_ORGANIZATION_ID", input.organizationId],
    ["ANTHROPIC_FEDERATION_RULE_ID", input.ruleId],
    ["ANTHROPIC_SERVICE_ACCOUNT_ID", input.serviceAccountId],
  ];
  if (input.workspaceId) env.push(["ANTHROPIC_WORKSPACE_ID", input.workspaceId]);
  return env;
}

/** The SDKs join paths onto the base URL; a trailing slash would double up. */
export function baseUrlOf(input: SnippetInput): string {
  return input.baseUrl.replace(/\/+$/, "");
}

export function envSnippet(input: SnippetInput): Snippet {
  const lines = [
    "# Workload identity federation: the official SDKs and the ant CLI exchange the identity",
    "# token for a short-lived access token on their own when these are set.",
    "# Leave ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN unset: either one wins over federation.",
    ...[...federationEnv(input), ["ANTHROPIC_IDENTITY_TOKEN_FILE", identityTokenFile(input.provider)] as const].map(
      ([name, value]) => `${name}=${shellQuote(value)}`,
    ),
  ];
  return {
    id: "env",
    label: "Environment",
    language: "dotenv",
    filename: "anthropic.env",
    code: `${lines.join("\n")}\n`,
    description:
      "Set these in the workload's environment (in a shell: set -a; . ./anthropic.env; set +a). " +
      "The SDK re-reads the token file on every exchange, so keep a fresh token there." +
      (input.scope ? ` Tokens from this rule carry the scope "${input.scope}".` : ""),
  };
}
