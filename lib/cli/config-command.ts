/**
 * `wif config export` and `wif config apply FILE`: configuration as code against a running
 * server, over the Admin API (`/v1/organizations/config`) with an admin key. The plan is
 * printed to stdout, field by field; messages go to stderr.
 *
 * Exit codes: 0 nothing to change (or applied), 1 refused or failed (an invalid file, an
 * unreachable server), 2 usage, 3 a dry run (or an apply without --yes) found changes — so a CI
 * job on a pull request can tell "this file would change the organization" from "broken".
 * @see docs/behaviour.md#configuration-as-code
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadAdminClientConfig, type AdminClientConfig } from "../config";
import type { ConfigChange } from "../core/config-plan";
import type { ConfigPlanDto } from "../services/organization-config";

export const CONFIG_USAGE = `  wif config export [--output FILE] [--format yaml|json]
                                      print the organization's configuration (YAML by default)
  wif config apply FILE [--dry-run | --yes]
                                      show what FILE (- for stdin) would change; --yes applies it in one
                                      transaction. Exit 0: no changes, 3: changes pending (dry run), 1: refused
  (both: --url URL --api-key KEY, or WIF_URL and WIF_API_KEY)`;

export const EXIT_CHANGES_PENDING = 3;

class CliError extends Error {}

const KIND_LABEL: Record<ConfigChange["kind"], string> = {
  workspace: "workspace",
  issuer: "federation issuer",
  service_account: "service account",
  rule: "federation rule",
};

const show = (v: unknown) => (v === null ? "(none)" : JSON.stringify(v));

/** The plan as a person reads it: one line per resource, one indented line per field. */
export function formatPlan(changes: readonly ConfigChange[]): string {
  if (changes.length === 0) return "No changes: the organization already matches the file.\n";
  const lines: string[] = [];
  for (const change of changes) {
    const sign = change.action === "create" ? "+" : change.action === "update" ? "~" : "-";
    lines.push(`${sign} ${change.action} ${KIND_LABEL[change.kind]} ${change.name}`);
    for (const [field, { from, to }] of Object.entries(change.fields)) {
      lines.push(change.action === "create" ? `    ${field}: ${show(to)}` : `    ${field}: ${show(from)} -> ${show(to)}`);
    }
  }
  const count = (action: ConfigChange["action"]) => changes.filter((c) => c.action === action).length;
  lines.push("", `Plan: ${count("create")} to create, ${count("update")} to update, ${count("archive")} to archive.`);
  return `${lines.join("\n")}\n`;
}

/** The server's reply, or a CliError with its message and request-id. */
async function call(client: AdminClientConfig, method: "GET" | "POST", query: string, body?: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${client.url}/v1/organizations/config${query}`, {
      method,
      headers: { authorization: `Bearer ${client.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/yaml" }) },
      body,
    });
  } catch (err) {
    throw new CliError(`cannot reach ${client.url}: ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`);
  }
  if (res.ok) return res;
  const text = await res.text();
  let message = text.slice(0, 2000);
  try {
    message = (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    // not our envelope (a proxy's page): show its start
  }
  throw new CliError(`${res.status}: ${message}${res.headers.get("request-id") ? ` (request-id ${res.headers.get("request-id")})` : ""}`);
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Run `wif config …` with the arguments after `config`; the exit code. */
export async function runConfigCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        "api-key": { type: "string" },
        output: { type: "string", short: "o" },
        format: { type: "string" },
        "dry-run": { type: "boolean" },
        yes: { type: "boolean", short: "y" },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\nusage:\n${CONFIG_USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [command, file, ...extra] = positionals;
  const usage = (problem: string) => {
    console.error(`wif config: ${problem}\nusage:\n${CONFIG_USAGE}`);
    return 2;
  };
  if (extra.length > 0) return usage(`unexpected ${extra.join(" ")}`);
  if (command !== "export" && command !== "apply") return usage(command ? `unknown command ${command}` : "export or apply?");
  if (command === "apply" && !file) return usage("apply needs the FILE to apply (- for stdin)");
  if (command === "apply" && values["dry-run"] && values.yes) return usage("--dry-run and --yes exclude each other");
  if (values.format !== undefined && values.format !== "yaml" && values.format !== "json") return usage("--format must be yaml or json");

  try {
    const client = loadAdminClientConfig({ url: values.url, apiKey: values["api-key"] });
    if (command === "export") {
      const res = await call(client, "GET", `?format=${values.format ?? "yaml"}`);
      const text = values.format === "json" ? `${JSON.stringify(await res.json(), null, 2)}\n` : await res.text();
      if (values.output) {
        fs.writeFileSync(values.output, text);
        console.error(`Wrote ${values.output}.`);
      } else process.stdout.write(text);
      return 0;
    }
    const apply = values.yes === true;
    const res = await call(client, "POST", `?dry_run=${!apply}`, readFile(file!));
    const plan = (await res.json()) as ConfigPlanDto;
    process.stdout.write(formatPlan(plan.changes));
    if (plan.changes.length === 0) return 0;
    if (apply) {
      console.error(`Applied ${plan.changes.length} change${plan.changes.length > 1 ? "s" : ""} in one transaction.`);
      return 0;
    }
    console.error("Nothing was changed (dry run). Run again with --yes to apply.");
    return EXIT_CHANGES_PENDING;
  } catch (err) {
    if (err instanceof CliError || (err instanceof Error && /^WIF_(URL|API_KEY)/.test(err.message))) {
      console.error(`wif config ${command}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
