/**
 * The guided setup's form model, free of React: the values the stepper edits, how they
 * become the `connectWorkload` request, which problems each step has (the request's own zod
 * schema, checked on the server, plus the preset's questions and the form's own shape), and
 * at which step and field a server error belongs.
 */
import { OAUTH_SCOPES } from "@/lib/core/scopes";
import type { RuleMatch } from "@/lib/core/types";
import { getProvider, isProviderId } from "@/lib/providers";
import type { KeyMode, ProviderPreset } from "@/lib/providers/preset";
import { answerProblems, slugify, visibleFields } from "@/lib/providers/preset";
import type { ConnectOptions } from "@/lib/console/connect-options";
import { isInvalidJson, parsePastedKeys } from "@/components/forms/pasted-keys";

export const STEPS = [
  { id: "provider", title: "Provider" },
  { id: "issuer", title: "Issuer" },
  { id: "service_account", title: "Service account" },
  { id: "rule", title: "Rule" },
  { id: "review", title: "Review" },
] as const;
export type StepId = (typeof STEPS)[number]["id"];

export interface ConnectFormValues {
  provider: string;
  /** The preset's answers (issuer and rule questions), by field name. */
  answers: Record<string, string>;
  issuer: {
    mode: "existing" | "new";
    id: string;
    name: string;
    jwks_type: KeyMode;
    discovery_base: string;
    jwks_url: string;
    jwks_json: string;
    check_jti: boolean;
    max_jwt_lifetime_seconds: string;
  };
  service_account: { mode: "existing" | "new"; id: string; name: string; description: string; organization_role: "developer" | "admin" };
  rule: {
    name: string;
    description: string;
    /** Editing the raw match instead of the preset's questions. */
    advanced: boolean;
    subject_prefix: string;
    audience: string;
    claim_rows: Array<{ key: string; value: string }>;
    condition: string;
    scopes: string[];
    token_lifetime_seconds: string;
    workspace_id: string;
    applies_to_all_workspaces: boolean;
  };
}

export function initialValues(options: ConnectOptions): ConnectFormValues {
  return {
    provider: "",
    answers: {},
    issuer: { mode: "new", id: "", name: "", jwks_type: "discovery", discovery_base: "", jwks_url: "", jwks_json: "", check_jti: true, max_jwt_lifetime_seconds: "3600" },
    service_account: { mode: "new", id: options.serviceAccounts[0]?.id ?? "", name: "", description: "", organization_role: "developer" },
    rule: {
      name: "",
      description: "",
      advanced: false,
      subject_prefix: "",
      // This server's URL: a token requested for it is useless on any other platform.
      audience: options.publicUrl,
      claim_rows: [],
      condition: "",
      scopes: ["workspace:developer"],
      token_lifetime_seconds: "3600",
      workspace_id: options.workspaces[0]?.id ?? "default",
      applies_to_all_workspaces: false,
    },
  };
}

export const presetOf = (values: Pick<ConnectFormValues, "provider">): ProviderPreset | undefined => (isProviderId(values.provider) ? getProvider(values.provider) : undefined);

/** The issuer URL the setup will use: the existing issuer's, or the preset's for these answers. */
export function issuerUrlOf(values: ConnectFormValues, options: Pick<ConnectOptions, "issuers" | "publicUrl">): string {
  if (values.issuer.mode === "existing") return options.issuers.find((i) => i.id === values.issuer.id)?.issuer_url ?? "";
  return presetOf(values)?.issuer.url(values.answers, { publicUrl: options.publicUrl }) ?? "";
}

/** Registered issuers with exactly this URL: the ones the issuer step offers to reuse. */
export function matchingIssuers(values: ConnectFormValues, options: Pick<ConnectOptions, "issuers" | "publicUrl">) {
  const url = presetOf(values)?.issuer.url(values.answers, { publicUrl: options.publicUrl }) ?? "";
  return url ? options.issuers.filter((i) => i.issuer_url === url) : [];
}

const orNull = (s: string) => (s.trim() === "" ? null : s);

function claimsOfRows(rows: ConnectFormValues["rule"]["claim_rows"]): Record<string, string> | null {
  const entries = rows.filter((r) => r.key.trim() !== "" || r.value !== "").map((r) => [r.key.trim(), r.value] as const);
  return entries.length ? Object.fromEntries(entries) : null;
}

/**
 * Whether every required question the rule step shows has an answer: until then a composed
 * match would hold fragments (`repo:/:ref:…`), so previews and advice wait for it.
 */
export function answersComplete(values: ConnectFormValues): boolean {
  if (values.rule.advanced) return true;
  const preset = presetOf(values);
  if (!preset) return false;
  return visibleFields(preset.fields, values.answers).every((f) => !f.required || (values.answers[f.name] ?? "").trim() !== "");
}

/** The rule's match: composed from the preset's answers, or as edited under Advanced. */
export function matchOf(values: ConnectFormValues): RuleMatch {
  if (values.rule.advanced) {
    const r = values.rule;
    return { subject_prefix: orNull(r.subject_prefix), audience: orNull(r.audience), claims: claimsOfRows(r.claim_rows), condition: orNull(r.condition) };
  }
  const composed = presetOf(values)?.composeMatch(values.answers) ?? {};
  return {
    subject_prefix: composed.subject_prefix || null,
    audience: composed.audience || orNull(values.rule.audience),
    claims: composed.claims && Object.keys(composed.claims).length ? composed.claims : null,
    condition: composed.condition || null,
  };
}

/** The Advanced fields, filled from a match (when the user opens Advanced). */
export function rawMatchFields(match: RuleMatch): Pick<ConnectFormValues["rule"], "subject_prefix" | "audience" | "claim_rows" | "condition"> {
  return {
    subject_prefix: match.subject_prefix ?? "",
    audience: match.audience ?? "",
    claim_rows: Object.entries(match.claims ?? {}).map(([key, value]) => ({ key, value })),
    condition: match.condition ?? "",
  };
}

export function jwksOf(issuer: ConnectFormValues["issuer"]) {
  switch (issuer.jwks_type) {
    case "discovery":
      return { type: "discovery" as const, discovery_base: orNull(issuer.discovery_base.trim()) };
    case "explicit_url":
      return { type: "explicit_url" as const, url: issuer.jwks_url.trim() };
    case "inline":
      return { type: "inline" as const, keys: parsePastedKeys(issuer.jwks_json) };
  }
}

const toNumber = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

export function issuerInput(values: ConnectFormValues, options: Pick<ConnectOptions, "issuers" | "publicUrl">) {
  const i = values.issuer;
  if (i.mode === "existing") return { mode: "existing" as const, id: i.id };
  return {
    mode: "new" as const,
    create: { name: i.name.trim(), issuer_url: issuerUrlOf(values, options), jwks: jwksOf(i), check_jti: i.check_jti, max_jwt_lifetime_seconds: toNumber(i.max_jwt_lifetime_seconds) },
  };
}

export function serviceAccountInput(values: ConnectFormValues) {
  const s = values.service_account;
  if (s.mode === "existing") return { mode: "existing" as const, id: s.id };
  return { mode: "new" as const, create: { name: s.name.trim(), description: orNull(s.description.trim()), organization_role: s.organization_role } };
}

export function ruleInput(values: ConnectFormValues) {
  const r = values.rule;
  return {
    name: r.name.trim(),
    description: orNull(r.description.trim()),
    match: matchOf(values),
    oauth_scope: OAUTH_SCOPES.filter((s) => r.scopes.includes(s)).join(" "),
    token_lifetime_seconds: toNumber(r.token_lifetime_seconds),
    workspace_id: r.applies_to_all_workspaces ? null : r.workspace_id || null,
    applies_to_all_workspaces: r.applies_to_all_workspaces,
  };
}

/** The `connectWorkload` request for these values. */
export function connectInput(values: ConnectFormValues, options: Pick<ConnectOptions, "issuers" | "publicUrl">) {
  return { issuer: issuerInput(values, options), service_account: serviceAccountInput(values), rule: ruleInput(values) };
}

/** The target service account's role, for the advisor. */
export function serviceAccountRoleOf(values: ConnectFormValues, options: Pick<ConnectOptions, "serviceAccounts">): "admin" | "developer" | null {
  if (values.service_account.mode === "new") return values.service_account.organization_role;
  return options.serviceAccounts.find((s) => s.id === values.service_account.id)?.role ?? null;
}

/** Names for the resources about to be created, made unique among the existing ones. */
export function suggestedNames(values: ConnectFormValues, options: Pick<ConnectOptions, "issuers" | "serviceAccounts" | "ruleNames">) {
  const preset = presetOf(values);
  const names = preset?.suggestNames(values.answers) ?? { issuer: "issuer", serviceAccount: "workload", rule: "rule" };
  const unique = (base: string, taken: string[]) => {
    const used = new Set(taken);
    if (!used.has(base)) return base;
    for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
  };
  return {
    issuer: unique(slugify(names.issuer, "issuer"), options.issuers.map((i) => i.name)),
    serviceAccount: unique(slugify(names.serviceAccount, "workload"), options.serviceAccounts.map((s) => s.name)),
    rule: unique(slugify(names.rule, "rule"), options.ruleNames),
  };
}

// ---------------------------------------------------------------------------------------
// Validation and error placement

export type Problem = [field: string, message: string];

/** Where an API field path (`issuer.create.name`, `rule.match.claims`) is shown in the stepper. */
export function locateField(apiField: string, values: ConnectFormValues): { step: StepId; field: string } {
  const p = apiField.split(".");
  const preset = presetOf(values);
  if (p[0] === "provider") return { step: "provider", field: "provider" };
  if (p[0] === "issuer") {
    if (p[1] !== "create") return { step: "issuer", field: "issuer.id" };
    const f = p[2];
    if (f === "name" || f === "max_jwt_lifetime_seconds" || f === "check_jti") return { step: "issuer", field: `issuer.${f}` };
    if (f === "issuer_url") {
      // A URL built from one answer (generic, Kubernetes) shows its problem on that answer.
      const only = preset?.issuer.fields.length === 1 ? preset.issuer.fields[0] : undefined;
      return { step: "issuer", field: only && preset?.issuer.url({ [only.name]: "x" }, { publicUrl: "" }) === "x" ? `answers.${only.name}` : "issuer.url" };
    }
    if (f === "jwks") {
      const sub = p[3];
      const field = sub === "discovery_base" ? "discovery_base" : sub === "url" ? "jwks_url" : sub === "keys" ? "jwks_json" : "jwks_type";
      return { step: "issuer", field: `issuer.${field}` };
    }
    return { step: "issuer", field: "issuer.url" };
  }
  if (p[0] === "service_account") {
    if (p[1] !== "create") return { step: "service_account", field: "service_account.id" };
    const f = p[2];
    return { step: "service_account", field: f === "description" || f === "organization_role" ? `service_account.${f}` : "service_account.name" };
  }
  if (p[0] === "rule") {
    const f = p[1];
    if (f === "issuer_id") return { step: "issuer", field: values.issuer.mode === "existing" ? "issuer.id" : "issuer.url" };
    if (f === "target") return { step: "service_account", field: values.service_account.mode === "existing" ? "service_account.id" : "service_account.name" };
    if (f === "match") {
      if (!values.rule.advanced) return { step: "rule", field: "rule.match" };
      const m = p[2];
      if (m === "subject_prefix" || m === "audience" || m === "condition") return { step: "rule", field: `rule.${m}` };
      if (m === "claims") return { step: "rule", field: "rule.claim_rows" };
      return { step: "rule", field: "rule.match" };
    }
    if (f === "oauth_scope") return { step: "rule", field: "rule.scopes" };
    if (f === "name" || f === "description" || f === "token_lifetime_seconds" || f === "workspace_id" || f === "applies_to_all_workspaces") return { step: "rule", field: `rule.${f}` };
    return { step: "rule", field: "rule.match" };
  }
  return { step: "review", field: "review" };
}

/**
 * The problems the server found with the whole request (`checkFormAction("connect", …)`, API
 * field path → message) that belong to one part of it, at the form fields that show them.
 */
function checkedProblems(checked: Readonly<Record<string, string>>, part: "issuer" | "service_account" | "rule", values: ConnectFormValues): Problem[] {
  return Object.entries(checked)
    .filter(([path]) => path === part || path.startsWith(`${part}.`))
    .map(([path, message]) => [locateField(path, values).field, message]);
}

function presetProblems(preset: ProviderPreset, which: "issuer" | "rule", answers: Record<string, string>): Problem[] {
  return answerProblems(which === "issuer" ? preset.issuer.fields : preset.fields, answers).map(([name, message]) => [`answers.${name}`, message]);
}

const NAME_TAKEN = (what: string, name: string) => `a ${what} named ${name} already exists; choose it under "Use an existing one", or pick another name`;

/**
 * The problems of one step, as [form field, message], first problem per field, given what the
 * server found with the request built from these values (`checked`). The review step checks
 * the whole request.
 */
export function validateStep(step: StepId, values: ConnectFormValues, options: ConnectOptions, checked: Readonly<Record<string, string>>): Problem[] {
  const preset = presetOf(values);
  const all: Problem[] = [];
  switch (step) {
    case "provider":
      if (!preset) all.push(["provider", "Choose where your workload runs"]);
      else if (preset.id === "demo" && !options.demoAvailable) all.push(["provider", "The demo issuer needs WIF_PUBLIC_URL on https, or WIF_ALLOW_INSECURE_ISSUERS for local development"]);
      break;
    case "issuer": {
      if (!preset) return [["provider", "Choose a provider first"]];
      const answers = presetProblems(preset, "issuer", values.answers);
      all.push(...answers);
      if (values.issuer.mode === "new" && values.issuer.jwks_type === "inline" && isInvalidJson(values.issuer.jwks_json)) {
        all.push(["issuer.jwks_json", "This is not valid JSON; check the brackets, commas and quotes"]);
      }
      const found = checkedProblems(checked, "issuer", values);
      // A URL built from answers that are themselves wrong says nothing new.
      all.push(...found.filter(([f]) => !(answers.length && (f === "issuer.url" || f.startsWith("answers.")))));
      if (values.issuer.mode === "new" && options.issuers.some((i) => i.name === values.issuer.name.trim())) all.push(["issuer.name", NAME_TAKEN("federation issuer", values.issuer.name.trim())]);
      break;
    }
    case "service_account":
      all.push(...checkedProblems(checked, "service_account", values));
      if (values.service_account.mode === "new" && options.serviceAccounts.some((s) => s.name === values.service_account.name.trim())) {
        all.push(["service_account.name", NAME_TAKEN("service account", values.service_account.name.trim())]);
      }
      break;
    case "rule": {
      if (!preset) return [["provider", "Choose a provider first"]];
      if (!values.rule.advanced) all.push(...presetProblems(preset, "rule", values.answers));
      const row = values.rule.claim_rows.findIndex((r) => r.key.trim() === "" && r.value !== "");
      if (values.rule.advanced && row !== -1) all.push(["rule.claim_rows", `Claim ${row + 1} needs a name`]);
      const found = checkedProblems(checked, "rule", values);
      // While the preset's own questions are unanswered, the composed match is not worth a second message.
      all.push(...found.filter(([f]) => !(f === "rule.match" && all.some(([g]) => g.startsWith("answers.")))));
      if (options.ruleNames.includes(values.rule.name.trim())) all.push(["rule.name", `a rule named ${values.rule.name.trim()} already exists; pick another name`]);
      break;
    }
    case "review":
      for (const s of ["provider", "issuer", "service_account", "rule"] as const) all.push(...validateStep(s, values, options, checked));
      break;
  }
  const seen = new Set<string>();
  return all.filter(([f]) => !seen.has(f) && seen.add(f));
}

/** The first step with a problem, checking steps in order up to and including `upTo`. */
export function firstInvalidStep(values: ConnectFormValues, options: ConnectOptions, upTo: StepId, checked: Readonly<Record<string, string>>): StepId | undefined {
  for (const s of STEPS) {
    if (s.id === "review") break;
    if (validateStep(s.id, values, options, checked).length) return s.id;
    if (s.id === upTo) break;
  }
  return undefined;
}
