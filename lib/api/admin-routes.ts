/** The Admin API routes under `/v1/organizations`, as the official SDK calls them. */
import type { Context, Hono } from "hono";
import * as apiKeys from "../services/api-keys";
import * as history from "../services/history";
import type { AdminContext } from "../services/context";
import * as issuers from "../services/issuers";
import { getOrganization } from "../services/organization";
import * as rules from "../services/rules";
import * as serviceAccounts from "../services/service-accounts";
import * as workspaces from "../services/workspaces";
import { notFound } from "../core/errors";
import type { Runtime } from "../runtime";
import { readJson, type ApiEnv } from "./http";

export function mountAdminRoutes(r: Hono<ApiEnv>, runtime: Runtime): void {
  const ctx = (c: Context<ApiEnv>): AdminContext => ({
    db: runtime.store.db,
    principal: c.get("principal"),
    requestId: c.get("requestId"),
    config: runtime.config,
  });
  const q = (c: Context<ApiEnv>) => c.req.query();
  const p = (c: Context<ApiEnv>, name: string) => c.req.param(name)!;
  /** A resource's standard routes: list and create on `path`, retrieve and update on `path/:id`, and archive. */
  const resource = (path: string, ops: ResourceOperations) => {
    r.get(path, async (c) => c.json(await ops.list(ctx(c), q(c))));
    r.post(path, async (c) => c.json(await ops.create(ctx(c), await readJson(c))));
    r.get(`${path}/:id`, async (c) => c.json(await ops.get(ctx(c), p(c, "id"))));
    r.post(`${path}/:id`, async (c) => c.json(await ops.update(ctx(c), p(c, "id"), await readJson(c))));
    if (ops.archive) r.post(`${path}/:id/archive`, async (c) => c.json(await ops.archive!(ctx(c), p(c, "id"))));
  };

  // Any authenticated credential may ask which organization it belongs to.
  r.get("/me", async (c) => {
    const org = await getOrganization(runtime.store.db, c.get("principal").organizationId);
    if (!org) throw notFound("organization", c.get("principal").organizationId);
    return c.json(org);
  });

  // Workspaces
  resource("/workspaces", { list: workspaces.listWorkspaces, create: workspaces.createWorkspace, get: workspaces.getWorkspace, update: workspaces.updateWorkspace, archive: workspaces.archiveWorkspace });
  r.get("/workspaces/:id/service_accounts", async (c) => c.json(await workspaces.listWorkspaceMembers(ctx(c), p(c, "id"), q(c))));
  r.post("/workspaces/:id/service_accounts", async (c) => c.json(await workspaces.addWorkspaceMember(ctx(c), p(c, "id"), await readJson(c))));
  r.get("/workspaces/:id/service_accounts/:sa", async (c) => c.json(await workspaces.getWorkspaceMember(ctx(c), p(c, "id"), p(c, "sa"))));
  r.post("/workspaces/:id/service_accounts/:sa", async (c) =>
    c.json(await workspaces.updateWorkspaceMember(ctx(c), p(c, "id"), p(c, "sa"), await readJson(c))),
  );
  r.delete("/workspaces/:id/service_accounts/:sa", async (c) => c.json(await workspaces.removeMembership(ctx(c), p(c, "sa"), p(c, "id"))));

  // Service accounts
  resource("/service_accounts", {
    list: serviceAccounts.listServiceAccounts,
    create: serviceAccounts.createServiceAccount,
    get: serviceAccounts.getServiceAccount,
    update: serviceAccounts.updateServiceAccount,
    archive: serviceAccounts.archiveServiceAccount,
  });
  r.get("/service_accounts/:id/workspaces", async (c) => c.json(await serviceAccounts.listServiceAccountWorkspaces(ctx(c), p(c, "id"), q(c))));
  r.post("/service_accounts/:id/workspaces", async (c) => c.json(await serviceAccounts.addServiceAccountWorkspace(ctx(c), p(c, "id"), await readJson(c))));
  r.delete("/service_accounts/:id/workspaces/:ws", async (c) => c.json(await serviceAccounts.removeServiceAccountWorkspace(ctx(c), p(c, "id"), p(c, "ws"))));

  // Federation issuers
  resource("/federation_issuers", { list: issuers.listIssuers, create: issuers.createIssuer, get: issuers.getIssuer, update: issuers.updateIssuer, archive: issuers.archiveIssuer });

  // Federation rules
  resource("/federation_rules", { list: rules.listRules, create: rules.createRule, get: rules.getRule, update: rules.updateRule, archive: rules.archiveRule });
  r.get("/federation_rules/:id/workspaces", async (c) => c.json(await rules.listRuleWorkspaces(ctx(c), p(c, "id"), q(c))));
  r.post("/federation_rules/:id/workspaces", async (c) => c.json(await rules.addRuleWorkspace(ctx(c), p(c, "id"), await readJson(c))));
  r.delete("/federation_rules/:id/workspaces/:ws", async (c) => c.json(await rules.removeRuleWorkspace(ctx(c), p(c, "id"), p(c, "ws"))));

  // Authentication history and audit log (self-hosted additions, for scripts)
  r.get("/federation_auth_events", async (c) => {
    const format = c.req.query("format");
    if (format === undefined || format === "json") return c.json(await history.listAuthEvents(ctx(c), q(c)));
    const file = await history.exportAuthEventsAs(ctx(c), q(c));
    return new Response(file.body, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "request-id": c.get("requestId"),
      },
    });
  });
  r.get("/federation_auth_events/:id", async (c) => c.json(await history.getAuthEvent(ctx(c), p(c, "id"))));
  r.get("/audit_events", async (c) => c.json(await history.listAuditEvents(ctx(c), q(c))));

  // API keys (create is a self-hosted addition; the hosted platform creates keys in its console)
  resource("/api_keys", { list: apiKeys.listApiKeys, create: apiKeys.createApiKey, get: apiKeys.getApiKey, update: apiKeys.updateApiKey });
}

/** The lib/services operations behind a resource's standard routes; each authorises inside itself. */
interface ResourceOperations {
  list(ctx: AdminContext, query: unknown): Promise<object>;
  create(ctx: AdminContext, input: unknown): Promise<object>;
  get(ctx: AdminContext, id: string): Promise<object>;
  update(ctx: AdminContext, id: string, input: unknown): Promise<object>;
  archive?(ctx: AdminContext, id: string): Promise<object>;
}
