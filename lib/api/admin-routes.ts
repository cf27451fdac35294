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

  // Any authenticated credential may ask which organization it belongs to.
  r.get("/me", async (c) => {
    const org = await getOrganization(runtime.store.db, c.get("principal").organizationId);
    if (!org) throw notFound("organization", c.get("principal").organizationId);
    return c.json(org);
  });

  // Workspaces
  r.get("/workspaces", async (c) => c.json(await workspaces.listWorkspaces(ctx(c), q(c))));
  r.post("/workspaces", async (c) => c.json(await workspaces.createWorkspace(ctx(c), await readJson(c))));
  r.get("/workspaces/:id", async (c) => c.json(await workspaces.getWorkspace(ctx(c), p(c, "id"))));
  r.post("/workspaces/:id", async (c) => c.json(await workspaces.updateWorkspace(ctx(c), p(c, "id"), await readJson(c))));
  r.post("/workspaces/:id/archive", async (c) => c.json(await workspaces.archiveWorkspace(ctx(c), p(c, "id"))));
  r.get("/workspaces/:id/service_accounts", async (c) => c.json(await workspaces.listWorkspaceMembers(ctx(c), p(c, "id"), q(c))));
  r.post("/workspaces/:id/service_accounts", async (c) => c.json(await workspaces.addWorkspaceMember(ctx(c), p(c, "id"), await readJson(c))));
  r.get("/workspaces/:id/service_accounts/:sa", async (c) => c.json(await workspaces.getWorkspaceMember(ctx(c), p(c, "id"), p(c, "sa"))));
  r.post("/workspaces/:id/service_accounts/:sa", async (c) =>
    c.json(await workspaces.updateWorkspaceMember(ctx(c), p(c, "id"), p(c, "sa"), await readJson(c))),
  );
  r.delete("/workspaces/:id/service_accounts/:sa", async (c) => c.json(await workspaces.removeMembership(ctx(c), p(c, "sa"), p(c, "id"))));

  // Service accounts
  r.get("/service_accounts", async (c) => c.json(await serviceAccounts.listServiceAccounts(ctx(c), q(c))));
  r.post("/service_accounts", async (c) => c.json(await serviceAccounts.createServiceAccount(ctx(c), await readJson(c))));
  r.get("/service_accounts/:id", async (c) => c.json(await serviceAccounts.getServiceAccount(ctx(c), p(c, "id"))));
  r.post("/service_accounts/:id", async (c) => c.json(await serviceAccounts.updateServiceAccount(ctx(c), p(c, "id"), await readJson(c))));
  r.post("/service_accounts/:id/archive", async (c) => c.json(await serviceAccounts.archiveServiceAccount(ctx(c), p(c, "id"))));
  r.get("/service_accounts/:id/workspaces", async (c) => c.json(await serviceAccounts.listServiceAccountWorkspaces(ctx(c), p(c, "id"), q(c))));
  r.post("/service_accounts/:id/workspaces", async (c) => c.json(await serviceAccounts.addServiceAccountWorkspace(ctx(c), p(c, "id"), await readJson(c))));
  r.delete("/service_accounts/:id/workspaces/:ws", async (c) => c.json(await serviceAccounts.removeServiceAccountWorkspace(ctx(c), p(c, "id"), p(c, "ws"))));

  // Federation issuers
  r.get("/federation_issuers", async (c) => c.json(await issuers.listIssuers(ctx(c), q(c))));
  r.post("/federation_issuers", async (c) => c.json(await issuers.createIssuer(ctx(c), await readJson(c))));
  r.get("/federation_issuers/:id", async (c) => c.json(await issuers.getIssuer(ctx(c), p(c, "id"))));
  r.post("/federation_issuers/:id", async (c) => c.json(await issuers.updateIssuer(ctx(c), p(c, "id"), await readJson(c))));
  r.post("/federation_issuers/:id/archive", async (c) => c.json(await issuers.archiveIssuer(ctx(c), p(c, "id"))));

  // Federation rules
  r.get("/federation_rules", async (c) => c.json(await rules.listRules(ctx(c), q(c))));
  r.post("/federation_rules", async (c) => c.json(await rules.createRule(ctx(c), await readJson(c))));
  r.get("/federation_rules/:id", async (c) => c.json(await rules.getRule(ctx(c), p(c, "id"))));
  r.post("/federation_rules/:id", async (c) => c.json(await rules.updateRule(ctx(c), p(c, "id"), await readJson(c))));
  r.post("/federation_rules/:id/archive", async (c) => c.json(await rules.archiveRule(ctx(c), p(c, "id"))));
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
  r.get("/api_keys", async (c) => c.json(await apiKeys.listApiKeys(ctx(c), q(c))));
  r.post("/api_keys", async (c) => c.json(await apiKeys.createApiKey(ctx(c), await readJson(c))));
  r.get("/api_keys/:id", async (c) => c.json(await apiKeys.getApiKey(ctx(c), p(c, "id"))));
  r.post("/api_keys/:id", async (c) => c.json(await apiKeys.updateApiKey(ctx(c), p(c, "id"), await readJson(c))));
}
