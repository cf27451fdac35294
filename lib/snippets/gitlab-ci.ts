/**
 * A GitLab CI job: `id_tokens:` makes GitLab sign a token with the rule's audience into a
 * variable; the job writes it to a file and exchanges it.
 * @see docs/providers.md#gitlab-ci; https://docs.gitlab.com/ci/secrets/id_token_authentication/
 */
import { federationEnv } from "./env";
import { gitlabExpands } from "./escape";
import { curlExchangeScript } from "./sdk";
import type { Snippet, SnippetInput } from "./types";
import { renderYaml } from "./yaml";

const ID_TOKEN_VARIABLE = "ANTHROPIC_ID_TOKEN";
const AUDIENCE_VARIABLE = "ANTHROPIC_AUDIENCE";
/** GitLab's rules expressions have no escapes inside quotes; only refs made of these are written into one. */
const PLAIN_REF = /^[A-Za-z0-9._/-]+$/;

/** A variable GitLab passes on as written: raw (`expand: false`) when it holds `$` or `%`. */
const literalVariable = (value: string) => (gitlabExpands(value) ? { value, expand: false } : value);

/** Run the job only for the ref the rule's subject names, when that ref can be written safely. */
function refRule(gitlab: SnippetInput["gitlab"] = {}): Array<{ if: string }> | undefined {
  if (!gitlab.ref || !PLAIN_REF.test(gitlab.ref)) return undefined;
  const variable = gitlab.refType === "tag" ? "$CI_COMMIT_TAG" : "$CI_COMMIT_BRANCH";
  return [{ if: `${variable} == "${gitlab.ref}"` }];
}

export function gitlabCiSnippet(input: SnippetInput): Snippet {
  const variables: Record<string, unknown> = Object.fromEntries(federationEnv(input).map(([name, value]) => [name, literalVariable(value)]));
  // id_tokens:aud expands variables too; an audience that would expand goes through a raw variable.
  let aud = input.audience;
  if (gitlabExpands(aud)) {
    variables[AUDIENCE_VARIABLE] = literalVariable(aud);
    aud = `$${AUDIENCE_VARIABLE}`;
  }
  const rules = refRule(input.gitlab);
  const job = {
    image: "alpine:3.22",
    id_tokens: { [ID_TOKEN_VARIABLE]: { aud } },
    variables,
    ...(rules ? { rules } : {}),
    before_script: ["apk add --no-cache curl jq"],
    script: [
      `export ANTHROPIC_IDENTITY_TOKEN_FILE="$(mktemp)"`,
      `printf '%s' "$${ID_TOKEN_VARIABLE}" > "$ANTHROPIC_IDENTITY_TOKEN_FILE"`,
      curlExchangeScript(input),
    ],
  };
  return {
    id: "gitlab-ci",
    label: "GitLab CI",
    language: "yaml",
    filename: ".gitlab-ci.yml",
    code: renderYaml({ claude: job }, [
      "Authenticates to Claude with workload identity federation: no API key in CI/CD variables.",
      "GitLab signs a token with the rule's audience for this job (id_tokens).",
    ]),
    description:
      "Add the job to .gitlab-ci.yml. The token's sub is project_path:GROUP/PROJECT:ref_type:…:ref:…, so run the job on the ref the rule names." +
      (input.gitlab?.ref && !rules ? " The ref has characters a rules: expression cannot quote; restrict the job to it yourself." : ""),
  };
}
