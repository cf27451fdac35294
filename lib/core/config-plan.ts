/**
 * Configuration as code, the pure part: the difference between the configuration an
 * organization has and the one a file asks for, as create / update / archive changes, field
 * by field. Resources are matched by name. @see docs/behaviour.md#configuration-as-code
 */

/** The kinds of resource a configuration file manages, in the order they are created (archives run in reverse). */
export const CONFIG_KINDS = ["workspace", "issuer", "service_account", "rule"] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

/** One resource as a configuration file writes it: its name and its fields (plain JSON). */
export interface ConfigEntry {
  name: string;
  [field: string]: unknown;
}

export type ConfigSections = Record<ConfigKind, readonly ConfigEntry[]>;

/** One field's difference; `null` stands for absent. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

export interface ConfigChange {
  action: "create" | "update" | "archive";
  kind: ConfigKind;
  name: string;
  /** Dotted paths (`match.subject_prefix`, `tags.team`) to their old and new values; empty for an archive. */
  fields: Record<string, FieldChange>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON with object keys sorted, so equal values compare equal whatever order they were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Leaves of nested objects by dotted path; arrays and scalars are leaves, as is an empty object. */
function flatten(value: Record<string, unknown>, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    const path = prefix + key;
    if (isPlainObject(v) && Object.keys(v).length > 0) for (const [p, leaf] of flatten(v, `${path}.`)) out.set(p, leaf);
    else out.set(path, v);
  }
  return out;
}

/** The fields that differ between two versions of one resource (`name` is the identity, never a field change). */
export function diffFields(before: ConfigEntry | undefined, after: ConfigEntry | undefined): Record<string, FieldChange> {
  const { name: _b, ...from } = before ?? { name: "" };
  const { name: _a, ...to } = after ?? { name: "" };
  const a = flatten(from);
  const b = flatten(to);
  const changed: Record<string, FieldChange> = {};
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (canonical(a.get(path)) !== canonical(b.get(path))) changed[path] = { from: a.get(path) ?? null, to: b.get(path) ?? null };
  }
  return changed;
}

/**
 * The changes that turn `current` into `desired`: creates and updates in `CONFIG_KINDS` order
 * (a rule's issuer exists before the rule), then archives in reverse (a rule goes before its
 * issuer). A resource in both with equal fields is no change, so applying a file twice
 * changes nothing the second time.
 */
export function planConfig(current: ConfigSections, desired: ConfigSections): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const kind of CONFIG_KINDS) {
    const existing = new Map(current[kind].map((e) => [e.name, e]));
    for (const entry of desired[kind]) {
      const before = existing.get(entry.name);
      const fields = diffFields(before, entry);
      if (!before) changes.push({ action: "create", kind, name: entry.name, fields });
      else if (Object.keys(fields).length > 0) changes.push({ action: "update", kind, name: entry.name, fields });
    }
  }
  for (const kind of [...CONFIG_KINDS].reverse()) {
    const wanted = new Set(desired[kind].map((e) => e.name));
    for (const entry of current[kind]) {
      if (!wanted.has(entry.name)) changes.push({ action: "archive", kind, name: entry.name, fields: {} });
    }
  }
  return changes;
}

/** The top-level fields an update touches (`match.claims.env` → `match`), for the operation that changes them. */
export function changedTopLevelFields(change: ConfigChange): Set<string> {
  return new Set(Object.keys(change.fields).map((path) => path.split(".")[0]!));
}
