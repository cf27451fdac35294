/**
 * This server's built-in demo issuer (lib/demo/issuer.ts): tokens shaped like GitHub
 * Actions', signed by a key this server keeps, discovered at PUBLIC_URL/demo-issuer. For
 * trying the whole flow without an outside provider.
 */
import { answer, type ProviderPreset } from "./preset";
import { composeGithubMatch, githubNames, githubRuleFields, githubSnippetInputs } from "./github-actions";

/** Mirrors DEMO_ISSUER_PATH in lib/demo/issuer.ts, which is server-only (a test keeps them equal). */
export const DEMO_ISSUER_PATH = "/demo-issuer";

export const demoIssuerUrlFor = (publicUrl: string) => `${publicUrl.replace(/\/+$/, "")}${DEMO_ISSUER_PATH}`;

const DEMO_DEFAULTS: Record<string, string> = { owner: "acme", repository: "demo-app" };

export const demo: ProviderPreset = {
  id: "demo",
  label: "Demo issuer",
  description: "This server's built-in issuer: GitHub-shaped sample tokens, no outside provider needed.",
  issuer: {
    fields: [],
    url: (_values, env) => demoIssuerUrlFor(env.publicUrl),
    keyModes: ["discovery"],
    note: "The demo issuer signs whatever the token tester asks for; use it to try the flow, not to grant real access.",
  },
  audienceField: null,
  fields: githubRuleFields.map((f) => (DEMO_DEFAULTS[f.name] ? { ...f, defaultValue: DEMO_DEFAULTS[f.name] } : f)),
  composeMatch: composeGithubMatch,
  pitfalls: [
    "Demo tokens look like GitHub Actions tokens: the subject differs by trigger (ref:, environment:, pull_request).",
    "Anyone with the admin role can mint demo tokens in the token tester; archive demo rules when you are done.",
  ],
  snippetInputs: githubSnippetInputs,
  suggestNames: (values) => {
    const names = githubNames(values, "demo-issuer");
    return { ...names, serviceAccount: answer(values, "repository") ? names.serviceAccount : "demo-ci" };
  },
};
