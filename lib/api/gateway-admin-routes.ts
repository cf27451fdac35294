/**
 * Gateway settings in the Admin API (self-hosted additions): the upstream and its key
 * (write-only), per-subject limits, the request log and usage totals. Each handler parses,
 * calls one operation (which authorises inside itself) and replies.
 * @see docs/gateway.md
 */
import type { Context, Hono } from "hono";
import * as limits from "../services/gateway-limits";
import * as requests from "../services/gateway-requests";
import * as upstreams from "../services/gateway-upstreams";
import type { Runtime } from "../runtime";
import { readJson, type ApiEnv } from "./http";

export function mountGatewayAdminRoutes(r: Hono<ApiEnv>, runtime: Runtime): void {
  const ctx = (c: Context<ApiEnv>): upstreams.GatewaySettingsContext => ({
    db: runtime.store.db,
    principal: c.get("principal"),
    requestId: c.get("requestId"),
    config: runtime.config,
    secrets: runtime.secrets,
    gateway: runtime.config.gateway,
  });
  const p = (c: Context<ApiEnv>, name: string) => c.req.param(name)!;

  r.get("/gateway/upstream", async (c) => c.json(await upstreams.getUpstreamSettings(ctx(c))));
  r.post("/gateway/upstream", async (c) => c.json(await upstreams.updateUpstreamSettings(ctx(c), await readJson(c))));
  r.post("/gateway/upstream/test", async (c) => c.json(await upstreams.testUpstreamConnection(ctx(c), await readJson(c))));

  r.get("/service_accounts/:id/gateway_limits", async (c) => c.json(await limits.getGatewayLimits(ctx(c), "service_account", p(c, "id"))));
  r.post("/service_accounts/:id/gateway_limits", async (c) => c.json(await limits.setGatewayLimits(ctx(c), "service_account", p(c, "id"), await readJson(c))));
  r.get("/api_keys/:id/gateway_limits", async (c) => c.json(await limits.getGatewayLimits(ctx(c), "api_key", p(c, "id"))));
  r.post("/api_keys/:id/gateway_limits", async (c) => c.json(await limits.setGatewayLimits(ctx(c), "api_key", p(c, "id"), await readJson(c))));

  r.get("/gateway_requests", async (c) => c.json(await requests.listGatewayRequests(ctx(c), c.req.query())));
  r.get("/gateway_usage", async (c) => c.json(await requests.summarizeGatewayUsage(ctx(c), c.req.query())));
}
