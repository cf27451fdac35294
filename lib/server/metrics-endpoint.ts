/**
 * `GET /metrics` in Prometheus' text format, for a scraper only: on the main port it asks for
 * `Authorization: Bearer $WIF_METRICS_TOKEN` and is off (404, saying how to turn it on) without
 * that token; on the metrics listener (WIF_METRICS_LISTEN) it asks for the token when one is
 * set and otherwise relies on that address being private.
 * @see docs/operating.md#metrics
 */
import { timingSafeEqual, createHash } from "node:crypto";
import http from "node:http";
import type { Registry } from "prom-client";
import type { MetricsConfig } from "../config";
import { errorEnvelope } from "../core/errors";
import { sendJson } from "./json-reply";

export const METRICS_PATH = "/metrics";

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

function sendError(res: http.ServerResponse, status: number, type: Parameters<typeof errorEnvelope>[0], message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, errorEnvelope(type, message), headers);
}

/**
 * Answer a request for `/metrics`. `where` is the listener it came in on: the main one serves
 * metrics only with a token configured.
 */
export function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, registry: Registry, config: MetricsConfig, where: "main" | "metrics_listener"): void {
  if (where === "main" && !config.token) {
    const message = config.listen
      ? `metrics are served on the metrics listener (WIF_METRICS_LISTEN), not here`
      : "metrics are off: set WIF_METRICS_TOKEN (a bearer token for the scraper) or WIF_METRICS_LISTEN (a private address)";
    return sendError(res, 404, "not_found_error", message);
  }
  if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 405, "invalid_request_error", `${req.method} is not allowed on ${METRICS_PATH}; use GET`, { allow: "GET, HEAD" });
  if (config.token) {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!presented || !sameSecret(presented, config.token)) {
      return sendError(res, 401, "authentication_error", "metrics need Authorization: Bearer <WIF_METRICS_TOKEN>", { "www-authenticate": 'Bearer realm="metrics"' });
    }
  }
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { "content-type": registry.contentType, "content-length": String(Buffer.byteLength(text)), "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : text);
    },
    () => sendError(res, 500, "api_error", "collecting the metrics failed"),
  );
}

/** The separate metrics listener: `/metrics` and nothing else. */
export async function startMetricsListener(registry: Registry, config: MetricsConfig & { listen: NonNullable<MetricsConfig["listen"]> }): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    if ((req.url ?? "/").split("?", 1)[0] === METRICS_PATH) return serveMetrics(req, res, registry, config, "metrics_listener");
    sendError(res, 404, "not_found_error", `this listener serves ${METRICS_PATH} only`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.listen.port, config.listen.host, resolve);
  });
  const { port } = server.address() as { port: number };
  const host = config.listen.host.includes(":") ? `[${config.listen.host}]` : config.listen.host;
  return { server, url: `http://${host}:${port}` };
}
