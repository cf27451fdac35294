/**
 * Claude Code through the gateway: its settings file points it at this server
 * (`ANTHROPIC_BASE_URL`) and takes its key from the token helper (`apiKeyHelper` running
 * `npx wif token`), which exchanges the workload's identity token and caches the access token.
 * The same values as shell lines for a job that runs `claude -p`. JSON is built by
 * JSON.stringify and the shell lines by shellQuote, so no value can break out.
 * @see docs/gateway.md#token-helper
 */
import { federationEnv, identityTokenFile } from "./env";
import { shellQuote } from "./escape";
import type { Snippet, SnippetInput } from "./types";

/** What Claude Code runs for a key; it re-runs it when the key is refused or after its TTL. */
export const API_KEY_HELPER = "npx wif token";

/** The federation variables and the token file, in the order the docs list them. */
function claudeCodeEnv(input: SnippetInput): Array<[string, string]> {
  return [...federationEnv(input), ["ANTHROPIC_IDENTITY_TOKEN_FILE", identityTokenFile(input.provider)]];
}

export function claudeCodeSnippet(input: SnippetInput): Snippet {
  const env = claudeCodeEnv(input);
  const settings = { apiKeyHelper: API_KEY_HELPER, env: Object.fromEntries(env) };
  const lines = [
    "# Claude Code takes its key from the token helper; unset any key that would win over it.",
    "unset ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN",
    ...env.map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    `claude -p "Say hello" --settings ${shellQuote(JSON.stringify({ apiKeyHelper: API_KEY_HELPER }))}`,
  ];
  return {
    id: "claude-code",
    label: "Claude Code",
    language: "json",
    filename: ".claude/settings.json",
    code: `${JSON.stringify(settings, null, 2)}\n`,
    description:
      "Claude Code sends every request to this server with a short-lived token from the token helper (npx wif token, in a checkout of this project or with it installed), " +
      "which exchanges the identity token and caches the access token until shortly before it expires. Put this in the project's .claude/settings.json or ~/.claude/settings.json.",
    companion: {
      label: "Or in the job's shell",
      language: "bash",
      code: `${lines.join("\n")}\n`,
      description: "The same settings as environment variables, for a CI step that runs Claude Code non-interactively.",
    },
  };
}
