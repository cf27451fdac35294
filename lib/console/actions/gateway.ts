"use server";
/**
 * Gateway actions: the request log's "Load more", and the upstream settings (admins; viewers
 * read them on the page). Each checks origin, session and role, then calls one lib/services
 * operation, which authorises again.
 */
import { parseListQuery } from "@/lib/console/action-result";
import type { ConsoleContext } from "@/lib/console/auth";
import { getRuntime } from "@/lib/runtime";
import { GATEWAY_REQUEST_FILTER_KEYS } from "@/lib/schemas/vocabulary";
import { listGatewayRequests } from "@/lib/services/gateway-requests";
import { testUpstreamConnection, updateUpstreamSettings, type GatewaySettingsContext } from "@/lib/services/gateway-upstreams";
import { runAs } from "./run-as";

/** The upstream operations also need the key that seals upstream keys and the environment's settings. */
async function withSecrets(ctx: ConsoleContext): Promise<GatewaySettingsContext> {
  const runtime = await getRuntime();
  return { ...ctx, secrets: runtime.secrets, gateway: runtime.config.gateway };
}

export async function listGatewayRequestsAction(query: unknown) {
  return runAs("viewer", (ctx) => listGatewayRequests(ctx, parseListQuery(query, GATEWAY_REQUEST_FILTER_KEYS)));
}

export async function updateUpstreamAction(input: unknown) {
  return runAs("admin", async (ctx) => updateUpstreamSettings(await withSecrets(ctx), input));
}

export async function testUpstreamAction(input: unknown) {
  return runAs("admin", async (ctx) => testUpstreamConnection(await withSecrets(ctx), input));
}
