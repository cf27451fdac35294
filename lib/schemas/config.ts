/**
 * The configuration file (`wif config export` / `apply`): the organization's workspaces,
 * issuers, service accounts (with their workspace memberships) and rules, validated with the
 * same schemas as the Admin API's create bodies. Objects refer to each other by name, never
 * by ID, so one file serves every installation. @see docs/behaviour.md#configuration-as-code
 */
import { z } from "zod";
import { issuerCreate } from "./issuers";
import { ruleFields } from "./rules";
import { serviceAccountCreate, workspaceRole } from "./service-accounts";
import { slug } from "./common";
import { workspaceCreate } from "./workspaces";

export const CONFIG_VERSION = 1;

/** How a file names the default workspace; every other workspace is named by its `name`. */
export const DEFAULT_WORKSPACE_REF = "default";

const workspaceName = z.string({ error: "must be a workspace name" }).trim().min(1, "must not be empty").max(40, "must be at most 40 characters");

const section = <T extends z.ZodType>(entry: T, what: string) =>
  z.array(entry, { error: `must be a list of ${what} (write [] for none: every ${what.replace(/s$/, "")} not listed is archived)` });

const workspaceEntry = workspaceCreate
  .omit({ external_key_id: true, user_profile_id: true })
  .refine((w) => w.name !== DEFAULT_WORKSPACE_REF, { path: ["name"], message: `"${DEFAULT_WORKSPACE_REF}" names the default workspace, which is not listed here; choose another name` });

const serviceAccountEntry = serviceAccountCreate.extend({
  /** Workspace name (or `default`) to the account's role there. */
  workspaces: z.record(workspaceName, workspaceRole, { error: "must map workspace names to roles" }).default({}),
});

const ruleEntry = ruleFields
  .omit({ issuer_id: true, target: true, workspace_id: true, attributes: true })
  .extend({
    issuer: slug,
    service_account: slug,
    /** The workspaces the rule is enabled for, by name (or `default`). */
    workspaces: z.array(workspaceName, { error: "must be a list of workspace names" }).default([]),
  })
  .superRefine((r, ctx) => {
    if (!r.applies_to_all_workspaces && r.workspaces.length === 0) {
      ctx.addIssue({ code: "custom", path: ["workspaces"], message: "must name at least one workspace unless applies_to_all_workspaces is true" });
    }
    if (new Set(r.workspaces).size !== r.workspaces.length) ctx.addIssue({ code: "custom", path: ["workspaces"], message: "lists a workspace more than once" });
  });

/** Names are unique within a section; references name something in the file. */
function checkNamesAndReferences(doc: OrganizationConfig, ctx: z.RefinementCtx) {
  const names = (list: ReadonlyArray<{ name: string }>, key: string) => {
    const seen = new Map<string, number>();
    list.forEach((e, i) => {
      const first = seen.get(e.name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [key, i, "name"], message: `${JSON.stringify(e.name)} is already used by ${key}[${first}]` });
      else seen.set(e.name, i);
    });
    return seen;
  };
  const workspaces = names(doc.workspaces, "workspaces");
  const issuers = names(doc.issuers, "issuers");
  const accounts = names(doc.service_accounts, "service_accounts");
  names(doc.rules, "rules");
  const knownWorkspace = (name: string) => name === DEFAULT_WORKSPACE_REF || workspaces.has(name);
  const noWorkspace = (name: string) => `no workspace named ${JSON.stringify(name)} in workspaces (use ${DEFAULT_WORKSPACE_REF} for the default workspace)`;
  doc.service_accounts.forEach((sa, i) => {
    for (const ws of Object.keys(sa.workspaces)) if (!knownWorkspace(ws)) ctx.addIssue({ code: "custom", path: ["service_accounts", i, "workspaces", ws], message: noWorkspace(ws) });
  });
  doc.rules.forEach((rule, i) => {
    if (!issuers.has(rule.issuer)) ctx.addIssue({ code: "custom", path: ["rules", i, "issuer"], message: `no issuer named ${JSON.stringify(rule.issuer)} in issuers` });
    if (!accounts.has(rule.service_account)) {
      ctx.addIssue({ code: "custom", path: ["rules", i, "service_account"], message: `no service account named ${JSON.stringify(rule.service_account)} in service_accounts` });
    }
    rule.workspaces.forEach((ws, j) => {
      if (!knownWorkspace(ws)) ctx.addIssue({ code: "custom", path: ["rules", i, "workspaces", j], message: noWorkspace(ws) });
    });
  });
}

const configShape = z.strictObject(
  {
    version: z.literal(CONFIG_VERSION, { error: `must be ${CONFIG_VERSION}` }),
    workspaces: section(workspaceEntry, "workspaces"),
    issuers: section(issuerCreate, "issuers"),
    service_accounts: section(serviceAccountEntry, "service accounts"),
    rules: section(ruleEntry, "rules"),
  },
  { error: "must be a mapping with version, workspaces, issuers, service_accounts and rules" },
);

export type OrganizationConfig = z.output<typeof configShape>;

export const organizationConfig = configShape.superRefine(checkNamesAndReferences);

/** `rules[2].match.subject_prefix`: a path as the file's reader finds it, list positions in brackets. */
export function configPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

/** Every problem (at most `max`), one per line, each led by its path. */
export function formatConfigError(error: z.ZodError, max = 20): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
    const message = issue.code === "unrecognized_keys" ? "unknown field" : issue.message;
    return path.length ? `${configPath(path)}: ${message}` : message;
  });
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines.join("\n");
}
