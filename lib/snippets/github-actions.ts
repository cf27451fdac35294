/**
 * GitHub Actions workflows: the job asks the runner for an OIDC token with the rule's
 * audience, writes it to a file, and exchanges it. Two variants of the fetch step: curl
 * against ACTIONS_ID_TOKEN_REQUEST_URL, and actions/github-script's core.getIDToken.
 * @see docs/providers.md#github-actions
 */
import { federationEnv } from "./env";
import { githubFilterLiteral, githubLiteral, percentEncode } from "./escape";
import { curlExchangeScript, TYPESCRIPT_SAMPLE } from "./sdk";
import type { Snippet, SnippetInput } from "./types";
import { renderYaml } from "./yaml";

export const WORKFLOW_FILENAME = ".github/workflows/claude.yml";
const TOKEN_FILE_NAME = "anthropic-identity-token";

/** The `on:` block and the job's `environment`, so the token's `sub` is the one the rule expects. */
function triggers(github: SnippetInput["github"] = {}): { on: Record<string, unknown>; environment?: string } {
  const on: Record<string, unknown> = {};
  const push: Record<string, string[]> = {};
  if (github.branch) push.branches = [githubFilterLiteral(github.branch)];
  if (github.tag) push.tags = [githubFilterLiteral(github.tag)];
  if (Object.keys(push).length) on.push = push;
  if (github.pullRequests) on.pull_request = {};
  // A deployment job runs when asked to; so does a workflow whose rule names no trigger.
  if (github.environment || !Object.keys(on).length) on.workflow_dispatch = {};
  return { on, ...(github.environment ? { environment: githubLiteral(github.environment) } : {}) };
}

const curlFetchStep = (audience: string) => ({
  name: "Fetch a GitHub OIDC token for the federation rule",
  run: `set -euo pipefail
umask 077
token_file="$RUNNER_TEMP/${TOKEN_FILE_NAME}"
curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\
  "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${percentEncode(audience)}" |
  jq -er .value > "$token_file"
# jq -e fails on a missing value; an empty file would only fail later, at the exchange.
test -s "$token_file" || { echo "::error::GitHub returned no OIDC token (does the job have permissions: id-token: write?)"; exit 1; }
echo "ANTHROPIC_IDENTITY_TOKEN_FILE=$token_file" >> "$GITHUB_ENV"
`,
});

const scriptFetchStep = (audience: string) => ({
  name: "Fetch a GitHub OIDC token for the federation rule",
  uses: "actions/github-script@v8",
  env: { OIDC_AUDIENCE: githubLiteral(audience) },
  with: {
    script: `const fs = require("node:fs");
const path = require("node:path");
const token = await core.getIDToken(process.env.OIDC_AUDIENCE);
const file = path.join(process.env.RUNNER_TEMP, "${TOKEN_FILE_NAME}");
fs.writeFileSync(file, token, { mode: 0o600 });
core.exportVariable("ANTHROPIC_IDENTITY_TOKEN_FILE", file);
`,
  },
});

function workflow(input: SnippetInput, variant: "curl" | "script"): string {
  const { on, environment } = triggers(input.github);
  const env = Object.fromEntries(federationEnv(input).map(([name, value]) => [name, githubLiteral(value)]));
  const steps =
    variant === "curl"
      ? [curlFetchStep(input.audience), { name: "Exchange it and call the API", run: curlExchangeScript(input) }]
      : [
          scriptFetchStep(input.audience),
          { uses: "actions/setup-node@v6", with: { "node-version": 24 } },
          {
            name: "Call the API with the Anthropic SDK",
            run: `npm install --no-save --no-package-lock @anthropic-ai/sdk
node --input-type=module <<'EOF'
${TYPESCRIPT_SAMPLE}EOF
`,
          },
        ];
  return renderYaml(
    {
      name: "Claude",
      on,
      permissions: { "id-token": "write", contents: "read" },
      jobs: { claude: { "runs-on": "ubuntu-latest", ...(environment ? { environment } : {}), env, steps } },
    },
    [
      "Authenticates to Claude with workload identity federation: no API key in secrets.",
      "The triggers match the rule's subject; a run from another ref gets a token the rule refuses.",
    ],
  );
}

export function githubActionsSnippets(input: SnippetInput): Snippet[] {
  const common =
    "GitHub's OIDC tokens live 5 minutes, so fetch the token right before the step that uses it. " +
    "pull_request runs from forks get no token; never switch to pull_request_target for this job.";
  return [
    {
      id: "github-actions-curl",
      label: "GitHub Actions (curl)",
      language: "yaml",
      filename: WORKFLOW_FILENAME,
      code: workflow(input, "curl"),
      description: `Fetches the token with curl from ACTIONS_ID_TOKEN_REQUEST_URL, then exchanges it with curl and jq. ${common}`,
    },
    {
      id: "github-actions-script",
      label: "GitHub Actions (github-script)",
      language: "yaml",
      filename: WORKFLOW_FILENAME,
      code: workflow(input, "script"),
      description: `Fetches the token with core.getIDToken, then calls the API with the TypeScript SDK. ${common}`,
    },
  ];
}
