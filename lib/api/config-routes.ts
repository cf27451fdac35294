/**
 * Configuration as code over the Admin API, for tools and the `wif config` CLI:
 * `GET /v1/organizations/config` (JSON, or YAML with `?format=yaml` or `Accept: application/yaml`)
 * and `POST /v1/organizations/config` (a YAML or JSON document; `?dry_run=true` plans and rolls back).
 * @see docs/behaviour.md#configuration-as-code
 */
import type { Context, Hono } from "hono";
import { invalidRequest } from "../core/errors";
import type { AdminContext } from "../services/context";
import { applyOrganizationConfig, configToYaml, exportOrganizationConfig } from "../services/organization-config";
import type { Runtime } from "../runtime";
import type { ApiEnv } from "./http";

const YAML_TYPE = "application/yaml; charset=utf-8";

/** `?format=yaml|json`, else the Accept header; JSON unless YAML is asked for. */
function wantsYaml(c: Context<ApiEnv>): boolean {
  const format = c.req.query("format");
  if (format === "yaml" || format === "json") return format === "yaml";
  if (format !== undefined) throw invalidRequest("format", "must be yaml or json");
  return /\b(application|text)\/(x-)?yaml\b/.test(c.req.header("accept") ?? "");
}

function dryRunFlag(c: Context<ApiEnv>): boolean {
  const value = c.req.query("dry_run");
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw invalidRequest("dry_run", "must be true or false");
}

export function mountConfigRoutes(r: Hono<ApiEnv>, runtime: Runtime): void {
  const ctx = (c: Context<ApiEnv>): AdminContext => ({ db: runtime.store.db, principal: c.get("principal"), requestId: c.get("requestId"), config: runtime.config });

  r.get("/config", async (c) => {
    const yaml = wantsYaml(c);
    const doc = await exportOrganizationConfig(ctx(c));
    if (!yaml) return c.json(doc);
    return c.body(configToYaml(doc), 200, { "content-type": YAML_TYPE });
  });

  // The body is the document itself; JSON is YAML too, so one parser reads both.
  r.post("/config", async (c) => c.json(await applyOrganizationConfig(ctx(c), await c.req.text(), { dryRun: dryRunFlag(c) })));
}
