import { describe, expect, it } from "vitest";
import { defaultValues, getProvider } from "@/lib/providers";
import type { ConnectOptions } from "@/lib/console/connect-options";
import { formProblems } from "@/lib/console/form-checks";
import { connectWorkload } from "@/lib/schemas/connect";
import {
  answersComplete,
  connectInput,
  firstInvalidStep,
  initialValues,
  locateField,
  matchingIssuers,
  matchOf,
  rawMatchFields,
  suggestedNames,
  validateStep,
  type ConnectFormValues,
  } from "./wizard-model";

const options: ConnectOptions = {
  issuers: [{ id: "fdis_GH", name: "github-actions", issuer_url: "https://token.actions.githubusercontent.com", jwks_type: "discovery" }],
  serviceAccounts: [{ id: "svac_ADMIN", name: "api-ci", role: "admin" }],
  workspaces: [{ id: "wrkspc_DEFAULT", name: "Default (default)" }],
  ruleNames: ["api-main"],
  defaultAudience: "https://api.anthropic.com",
  publicUrl: "http://localhost:3201",
  demoAvailable: true,
};

/** A complete GitHub setup: new issuer, new service account, rule from the preset's answers. */
function github(): ConnectFormValues {
  const v = initialValues(options);
  v.provider = "github-actions";
  v.answers = { ...defaultValues(getProvider("github-actions")), owner: "acme", repository: "web", repository_owner_id: "123" };
  v.issuer.name = "github-2";
  v.service_account.name = "web-ci";
  v.rule.name = "web-main";
  return v;
}

const fields = (problems: Array<[string, string]>) => problems.map(([f]) => f);

/** What the server's check of the request these values make finds (the stepper asks `checkFormAction`). */
const checked = (v: ConnectFormValues) => formProblems("connect", connectInput(v, options));

describe("answersComplete", () => {
  it("holds previews back until every required question is answered, so no fragment such as repo:/:ref… is shown", () => {
    const empty = { ...github(), answers: { ...defaultValues(getProvider("github-actions")), owner: "", repository: "" } };
    expect(matchOf(empty).subject_prefix).toMatch(/^repo:\/:/);
    expect(answersComplete(empty)).toBe(false);
    expect(answersComplete({ ...empty, answers: { ...empty.answers, owner: "acme" } })).toBe(false);
    expect(answersComplete(github())).toBe(true);
    expect(answersComplete({ ...empty, rule: { ...empty.rule, advanced: true } })).toBe(true);
  });
});

describe("connectInput", () => {
  it("builds a request the connectWorkload schema accepts, with the composed match", () => {
    const input = connectInput(github(), options);
    expect(connectWorkload.safeParse(input).success).toBe(true);
    expect(input).toEqual({
      issuer: { mode: "new", create: { name: "github-2", issuer_url: "https://token.actions.githubusercontent.com", jwks: { type: "discovery", discovery_base: null }, check_jti: true, max_jwt_lifetime_seconds: 3600 } },
      service_account: { mode: "new", create: { name: "web-ci", description: null, organization_role: "developer" } },
      rule: {
        name: "web-main",
        description: null,
        // A new rule's audience is this server's public URL, not the hosted platform's.
        match: { subject_prefix: "repo:acme/web:ref:refs/heads/main", audience: "http://localhost:3201", claims: { repository_owner_id: "123" }, condition: null },
        oauth_scope: "workspace:developer",
        token_lifetime_seconds: 3600,
        workspace_id: "wrkspc_DEFAULT",
        applies_to_all_workspaces: false,
      },
    });
  });

  it("existing issuer and service account are sent by ID", () => {
    const v = github();
    v.issuer = { ...v.issuer, mode: "existing", id: "fdis_GH" };
    v.service_account = { ...v.service_account, mode: "existing", id: "svac_ADMIN" };
    const input = connectInput(v, options);
    expect(input.issuer).toEqual({ mode: "existing", id: "fdis_GH" });
    expect(input.service_account).toEqual({ mode: "existing", id: "svac_ADMIN" });
  });

  it("Advanced: the raw match replaces the composed one, starting from it", () => {
    const v = github();
    Object.assign(v.rule, rawMatchFields(matchOf(v)), { advanced: true });
    expect(v.rule.subject_prefix).toBe("repo:acme/web:ref:refs/heads/main");
    v.rule.condition = 'claims.event_name == "push"';
    v.rule.claim_rows.push({ key: "repository_id", value: "456" });
    expect(matchOf(v)).toEqual({ subject_prefix: "repo:acme/web:ref:refs/heads/main", audience: "http://localhost:3201", claims: { repository_owner_id: "123", repository_id: "456" }, condition: 'claims.event_name == "push"' });
  });

  it("pasted keys: the {keys:[…]} document or the bare array", () => {
    const v = github();
    v.provider = "generic";
    v.issuer.jwks_type = "inline";
    v.issuer.jwks_json = '{"keys":[{"kty":"EC"}]}';
    expect(connectInput(v, options).issuer).toMatchObject({ create: { jwks: { type: "inline", keys: [{ kty: "EC" }] } } });
    v.issuer.jwks_json = "[{";
    expect(connectInput(v, options).issuer).toMatchObject({ create: { jwks: { type: "inline", keys: "not valid JSON" } } });
  });
});

describe("validateStep", () => {
  it("a complete setup has no problems at any step", () => {
    for (const step of ["provider", "issuer", "service_account", "rule", "review"] as const) expect(validateStep(step, github(), options, checked(github()))).toEqual([]);
  });

  it.each([
    ["provider", (v: ConnectFormValues): void => void (v.provider = ""), "provider"],
    ["issuer", (v: ConnectFormValues): void => void (v.issuer.name = "GitHub Actions"), "issuer.name"],
    ["issuer", (v: ConnectFormValues): void => void (v.issuer.name = "github-actions"), "issuer.name"],
    ["issuer", (v: ConnectFormValues): void => void (v.answers.ghes_host = "https://github.example.com"), "answers.ghes_host"],
    ["issuer", (v: ConnectFormValues): void => void ((v.issuer.mode = "existing"), (v.issuer.id = "")), "issuer.id"],
    ["issuer", (v: ConnectFormValues): void => void (v.issuer.max_jwt_lifetime_seconds = "0"), "issuer.max_jwt_lifetime_seconds"],
    ["issuer", (v: ConnectFormValues): void => void ((v.issuer.jwks_type = "inline"), (v.issuer.jwks_json = "{ not json")), "issuer.jwks_json"],
    ["issuer", (v: ConnectFormValues): void => void ((v.issuer.jwks_type = "inline"), (v.issuer.jwks_json = '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}')), "issuer.jwks_json"],
    ["issuer", (v: ConnectFormValues): void => void ((v.issuer.jwks_type = "explicit_url"), (v.issuer.jwks_url = "http://10.0.0.1/keys")), "issuer.jwks_url"],
    ["service_account", (v: ConnectFormValues): void => void (v.service_account.name = ""), "service_account.name"],
    ["service_account", (v: ConnectFormValues): void => void (v.service_account.name = "api-ci"), "service_account.name"],
    ["rule", (v: ConnectFormValues): void => void (v.answers.owner = ""), "answers.owner"],
    ["rule", (v: ConnectFormValues): void => void (v.rule.name = "api-main"), "rule.name"],
    ["rule", (v: ConnectFormValues): void => void (v.rule.scopes = []), "rule.scopes"],
    ["rule", (v: ConnectFormValues): void => void (v.rule.token_lifetime_seconds = "10"), "rule.token_lifetime_seconds"],
    ["rule", (v: ConnectFormValues): void => void ((v.rule.advanced = true), (v.rule.subject_prefix = "*")), "rule.subject_prefix"],
    ["rule", (v: ConnectFormValues): void => void ((v.rule.advanced = true), (v.rule.condition = "true")), "rule.condition"],
    ["rule", (v: ConnectFormValues): void => void ((v.rule.advanced = true), (v.rule.claim_rows = [{ key: "", value: "x" }])), "rule.claim_rows"],
  ] as const)("%s: %s → %s", (step, change, field) => {
    const v = github();
    change(v);
    expect(fields(validateStep(step, v, options, checked(v)))).toContain(field);
    // Other steps are not held up by this step's problem.
    if (step !== "provider") expect(fields(validateStep("service_account", github(), options, checked(github())))).toEqual([]);
  });

  it("the generic preset's issuer URL problems show on the Issuer URL answer", () => {
    const v = github();
    v.provider = "generic";
    v.answers = { issuer_url: "https://idp.example.com/x?y", subject: "s" };
    expect(fields(validateStep("issuer", v, options, checked(v)))).toEqual(["answers.issuer_url"]);
  });

  it("the demo issuer is refused when the server cannot register it", () => {
    const v = github();
    v.provider = "demo";
    expect(validateStep("provider", v, { ...options, demoAvailable: false }, checked(v))[0]?.[1]).toContain("WIF_ALLOW_INSECURE_ISSUERS");
  });

  it("firstInvalidStep names the earliest step with a problem", () => {
    const v = github();
    v.service_account.name = "";
    v.rule.scopes = [];
    expect(firstInvalidStep(v, options, "rule", checked(v))).toBe("service_account");
    expect(firstInvalidStep(github(), options, "rule", checked(github()))).toBeUndefined();
  });
});

describe("locateField", () => {
  it.each([
    ["issuer.create.name", "issuer", "issuer.name"],
    ["issuer.create.jwks.keys", "issuer", "issuer.jwks_json"],
    ["issuer.create.jwks.url", "issuer", "issuer.jwks_url"],
    ["issuer.id", "issuer", "issuer.id"],
    ["service_account.create.name", "service_account", "service_account.name"],
    ["rule.name", "rule", "rule.name"],
    ["rule.match", "rule", "rule.match"],
    ["rule.match.subject_prefix", "rule", "rule.match"],
    ["rule.oauth_scope", "rule", "rule.scopes"],
    ["rule.target.service_account_id", "service_account", "service_account.name"],
    ["rule.issuer_id", "issuer", "issuer.url"],
    ["something.else", "review", "review"],
  ])("%s → %s step, %s", (api, step, field) => {
    expect(locateField(api, github())).toEqual({ step, field });
  });

  it("with Advanced open, match errors go to the raw field", () => {
    const v = github();
    v.rule.advanced = true;
    expect(locateField("rule.match.subject_prefix", v)).toEqual({ step: "rule", field: "rule.subject_prefix" });
    expect(locateField("rule.match.claims.x", v)).toEqual({ step: "rule", field: "rule.claim_rows" });
  });
});

describe("suggestions", () => {
  it("offers registered issuers with the same URL for reuse", () => {
    expect(matchingIssuers(github(), options).map((i) => i.id)).toEqual(["fdis_GH"]);
    const v = github();
    v.answers.ghes_host = "github.example.com";
    expect(matchingIssuers(v, options)).toEqual([]);
  });

  it("suggests names that are free", () => {
    const v = github();
    v.answers.repository = "api";
    expect(suggestedNames(v, options)).toEqual({ issuer: "github-actions-2", serviceAccount: "api-ci-2", rule: "api-main-2" });
  });
});
