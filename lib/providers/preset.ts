/**
 * The shape of an identity-provider preset: what the guided setup asks for, how the answers
 * become an issuer URL and a rule `match`, and what to warn about. Presets are plain data and
 * pure functions, safe to import in client components.
 * @see docs/providers.md for each provider's issuer, subject and audience.
 */
import type { JwksConfig, RuleMatch } from "../core/types";

export type ProviderId =
  | "github-actions"
  | "gitlab-ci"
  | "kubernetes"
  | "aws"
  | "google-cloud"
  | "azure"
  | "okta"
  | "circleci"
  | "buildkite"
  | "hcp-terraform"
  | "generic"
  | "demo";

export type KeyMode = JwksConfig["type"];

/** The answers to a preset's questions, by field name, as typed (strings; empty = not given). */
export type FieldValues = Record<string, string>;

/** One question of a preset: rendered as a text input, or a select when `options` is set. */
export interface FieldDescriptor {
  name: string;
  label: string;
  help?: string;
  required: boolean;
  /** Anchored regular expression source the (trimmed) value must match. */
  pattern?: string;
  /** The sentence shown when `pattern` does not match. */
  patternMessage?: string;
  placeholder?: string;
  /** Pre-filled value. */
  defaultValue?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** Shown (and validated) only while another field has one of these values. */
  when?: { field: string; equals: readonly string[] };
  /** May be given only together with this other field. */
  requires?: string;
  /** Rendered in a monospace font (identifiers, paths). */
  mono?: boolean;
}

/** Where the preset's issuer URL comes from: fixed, or a template filled from `fields`. */
export interface IssuerSpec {
  fields: readonly FieldDescriptor[];
  /** The issuer URL for these answers; `publicUrl` is this server's (the demo issuer lives there). */
  url(values: FieldValues, env: { publicUrl: string }): string;
  /** The key modes that make sense for this provider, the first being the default. */
  keyModes: readonly KeyMode[];
  /** Shown under the issuer step: where to find the values, private-cluster advice… */
  note?: string;
}

/** The composed `match`, only the populated fields. */
export type ComposedMatch = Pick<RuleMatch, "subject_prefix" | "audience" | "claims" | "condition">;

/** What the snippet generators need beyond the IDs (see lib/snippets). */
export interface ProviderSnippetInputs {
  github?: { branch?: string; tag?: string; environment?: string; pullRequests?: boolean };
  gitlab?: { refType?: "branch" | "tag"; ref?: string };
  kubernetes?: { namespace: string; serviceAccount: string };
}

export interface ProviderPreset {
  id: ProviderId;
  label: string;
  description: string;
  issuer: IssuerSpec;
  /**
   * The audience workloads should request. `null`: this server's default
   * (`WIF_DEFAULT_AUDIENCE`, `https://api.anthropic.com` unless configured), which the rule
   * then leaves unset. A string names a field whose value the provider forces as `aud`.
   */
  audienceField: string | null;
  /** The questions that compose the rule's match. */
  fields: readonly FieldDescriptor[];
  /** Issuer and rule answers → the rule's match. Pure; follows docs/providers.md. */
  composeMatch(values: FieldValues): ComposedMatch;
  /** Known pitfalls, shown beside the rule step. */
  pitfalls: readonly string[];
  snippetInputs(values: FieldValues): ProviderSnippetInputs;
  /** Suggested slugs for the resources the guided setup creates. */
  suggestNames(values: FieldValues): { issuer: string; serviceAccount: string; rule: string };
}

/** Every field (issuer and rule) that is currently shown, given the answers so far. */
export function visibleFields(fields: readonly FieldDescriptor[], values: FieldValues): FieldDescriptor[] {
  return fields.filter((f) => !f.when || f.when.equals.includes(values[f.when.field] ?? fieldDefault(fields, f.when.field)));
}

function fieldDefault(fields: readonly FieldDescriptor[], name: string): string {
  return fields.find((f) => f.name === name)?.defaultValue ?? "";
}

/** The answers a preset starts with: every field's default. */
export function defaultValues(preset: ProviderPreset): FieldValues {
  return Object.fromEntries([...preset.issuer.fields, ...preset.fields].map((f) => [f.name, f.defaultValue ?? ""]));
}

/**
 * What is wrong with a preset's answers (required, pattern, options), as [field name, message],
 * so the stepper checks them as the user answers. Hidden fields are not checked. Plain code,
 * not a zod schema: the answers are the form's own, and zod stays on the server.
 */
export function answerProblems(fields: readonly FieldDescriptor[], values: FieldValues): Array<[name: string, message: string]> {
  const problems: Array<[string, string]> = [];
  for (const f of visibleFields(fields, values)) {
    const value = (values[f.name] ?? "").trim();
    if (!value) {
      if (f.required) problems.push([f.name, `${f.label} is required`]);
      continue;
    }
    const needs = f.requires && fields.find((o) => o.name === f.requires);
    if (needs && !(values[needs.name] ?? "").trim()) problems.push([f.name, `needs a ${needs.label.toLowerCase()} as well`]);
    else if (value.length > 512) problems.push([f.name, "must be at most 512 characters"]);
    else if (f.options && !f.options.some((o) => o.value === value)) problems.push([f.name, `must be one of ${f.options.map((o) => o.label).join(", ")}`]);
    else if (f.pattern && !new RegExp(f.pattern).test(value)) problems.push([f.name, f.patternMessage ?? `is not a valid ${f.label.toLowerCase()}`]);
  }
  return problems;
}

/** The trimmed answer, or undefined when empty. */
export const answer = (values: FieldValues, name: string): string | undefined => {
  const v = values[name]?.trim();
  return v ? v : undefined;
};

/** A slug (`^[a-z0-9-]+$`, ≤ 60 here) from free text, or the fallback when nothing is left. */
export function slugify(text: string | undefined, fallback: string): string {
  const s = (text ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return s || fallback;
}

/** `{name: value}` with the empty entries dropped, or undefined when nothing is left. */
export function claimsOf(entries: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(entries).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "");
  return kept.length ? Object.fromEntries(kept) : undefined;
}

/** The host name of an answer that is a URL, or undefined when it is not one. */
export function answerHost(values: FieldValues, name: string): string | undefined {
  try {
    return new URL(answer(values, name) ?? "").hostname;
  } catch {
    return undefined;
  }
}

/** A fixed issuer that every customer of the service shares: nothing to ask, keys by discovery; `note` says what the rule must pin. */
export const sharedIssuer = (url: string, note: string): IssuerSpec => ({ fields: [], url: () => url, keyModes: ["discovery"], note });

/**
 * The issuer of a service every customer shares (`shared`), or of a self-hosted instance at
 * `https://HOST` + `path` when the optional host question is answered (GitHub Enterprise
 * Server, self-managed GitLab, Terraform Enterprise).
 */
export function sharedOrSelfHostedIssuer(o: { host: Pick<FieldDescriptor, "name" | "label" | "help" | "placeholder">; shared: string; path?: string; keyModes: readonly KeyMode[]; note: string }): IssuerSpec {
  return {
    fields: [{ ...o.host, required: false, mono: true, ...HOST }],
    url: (values) => {
      const host = answer(values, o.host.name);
      return host ? `https://${host}${o.path ?? ""}` : o.shared;
    },
    keyModes: o.keyModes,
    note: o.note,
  };
}

/** An issuer whose URL is typed exactly as its tokens' iss (any OIDC provider, a Kubernetes cluster): keys by discovery, a JWKS URL, or pasted. */
export function typedIssuer(field: Omit<FieldDescriptor, "required" | "mono">, note?: string): IssuerSpec {
  return { fields: [{ ...field, required: true, mono: true }], url: (values) => answer(values, field.name) ?? "", keyModes: ["discovery", "explicit_url", "inline"], ...(note ? { note } : {}) };
}

/** A CEL string literal (double-quoted, escaped). */
export const celString = (value: string) => JSON.stringify(value);

export const DIGITS = { pattern: "^[0-9]+$", patternMessage: "must be a number (digits only)" } as const;
export const UUID = { pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", patternMessage: "must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e" } as const;
/** A host name, optionally with a port: no scheme, path or spaces. */
export const HOST = { pattern: "^[A-Za-z0-9.-]+(:[0-9]{1,5})?$", patternMessage: "must be a host name such as gitlab.example.com (no https://, no path)" } as const;
/** A name that may end in `*` to mean "starting with". */
