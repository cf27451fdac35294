/** Inputs shared by the snippet tests: a plain rule, and values built to break out of each language. */
import type { SnippetInput } from "./types";

export const BASE_INPUT: SnippetInput = {
  provider: "generic",
  baseUrl: "https://wif.example.com/",
  organizationId: "6b1e0c3a-1111-4222-8333-444455556666",
  serviceAccountId: "svac_01HZX3Q4W5E6R7T8Y9U0I1O2P3",
  ruleId: "fdrl_01HZX3Q4W5E6R7T8Y9U0I1O2P4",
  workspaceId: "wrkspc_01HZX3Q4W5E6R7T8Y9U0I1O2P5",
  audience: "https://api.anthropic.com",
  scope: "workspace:developer",
};

/** One value per way out: each must come out of its snippet exactly as it went in, and do nothing else. */
export const HOSTILE_VALUES: Array<{ attack: string; value: string }> = [
  { attack: "GitHub expression", value: "${{ secrets.GITHUB_TOKEN }}" },
  { attack: "nested GitHub expression", value: "$${{ '${{' }}{{ github.token }}" },
  { attack: "quotes", value: `it's "quoted" \\" '` },
  { attack: "newline and YAML", value: "x\nkey: injected\n- item\n# comment\n---\n&a *a !tag" },
  { attack: "command substitution", value: "$(touch PWNED) `touch PWNED`" },
  { attack: "shell operators", value: "a; touch PWNED && echo | cat > PWNED # x" },
  { attack: "variables", value: "$HOME ${HOME} %PATH% $CI_JOB_TOKEN" },
  { attack: "Kubernetes expansion", value: "$(HOME) $$(HOME)" },
  { attack: "URL delimiters", value: "https://a.example/?x=1&audience=evil#frag %41+" },
];

/** `input` with every free-text field set to `value`. */
export function hostileInput(provider: SnippetInput["provider"], value: string): SnippetInput {
  return {
    provider,
    baseUrl: value,
    organizationId: value,
    serviceAccountId: value,
    ruleId: value,
    workspaceId: value,
    audience: value,
    github: { branch: value, tag: value, environment: value, pullRequests: true },
    gitlab: { refType: "branch", ref: value },
    kubernetes: { namespace: value, serviceAccount: value },
  };
}

/** The federation variables every snippet sets for BASE_INPUT: the base URL without its trailing slash, the rule's IDs exactly. */
export const BASE_ENV = {
  ANTHROPIC_BASE_URL: "https://wif.example.com",
  ANTHROPIC_ORGANIZATION_ID: BASE_INPUT.organizationId,
  ANTHROPIC_FEDERATION_RULE_ID: BASE_INPUT.ruleId,
  ANTHROPIC_SERVICE_ACCOUNT_ID: BASE_INPUT.serviceAccountId,
  ANTHROPIC_WORKSPACE_ID: BASE_INPUT.workspaceId,
};
