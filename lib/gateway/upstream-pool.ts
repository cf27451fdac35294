/**
 * Connections to the upstream: one undici Agent (a keep-alive pool per origin), with the
 * configured timeouts. Redirects are never followed — the upstream URL is configuration, and a
 * redirect would carry the upstream key elsewhere.
 * @see docs/gateway.md#streaming
 */
import { Agent } from "undici";
import type { GatewayConfig } from "../config";

export function createUpstreamPool(config: GatewayConfig): Agent {
  return new Agent({
    connections: config.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: config.headersTimeoutMs,
    bodyTimeout: config.bodyTimeoutMs,
    connect: { timeout: config.connectTimeoutMs },
  });
}
