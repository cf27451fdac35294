/**
 * The server's Prometheus metrics, one registry per running server. Label values are bounded:
 * routes are patterns, reasons a closed list, issuers and service accounts the organization's
 * own IDs, and any label a caller can influence (a model name) keeps its first values and
 * counts the rest as `other`. Never a token, key, subject or raw path.
 * @see docs/operating.md#metrics
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What the gateway's audit row tells the metrics (lib/store/gateway-request-log.ts). */
export interface GatewayRequestFacts {
  status: number;
  model: string | null;
  service_account_id: string | null;
  outcome: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

/** A PostgreSQL pool's counts (pg.Pool has these). */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface Metrics {
  registry: Registry;
  /** One exchange decided: `reason` is the deny reason (empty when granted); `seconds` from request to reply. */
  observeExchange(outcome: "granted" | "denied", reason: string, seconds: number): void;
  /** One fetch of an issuer's keys (discovery and key set), by the poller, an exchange or readiness. */
  observeKeyFetch(issuerId: string, ok: boolean): void;
  observeGatewayRequest(row: GatewayRequestFacts): void;
  /** One HTTP request answered (`route`: a pattern), for every way in. */
  observeHttpRequest(route: string, method: string, status: number, seconds: number): void;
  /** Report a PostgreSQL pool's connections at each scrape. */
  watchPool(pool: PoolCounts): void;
  /** Stop the event-loop monitor and timers (at shutdown). */
  close(): void;
}

/** Keeps the first `limit` distinct values of a label; later ones become `other`. */
function boundedLabel(limit: number, maxLength = 100): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= limit || value.length > maxLength) return "other";
    seen.add(value);
    return value;
  };
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process CPU, memory, GC, and event-loop lag (nodejs_eventloop_lag_*, from monitorEventLoopDelay).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const exchanges = new Counter({ name: "wif_token_exchanges_total", help: "Token exchanges by outcome and deny reason", labelNames: ["outcome", "reason"], registers: [registry] });
  const exchangeSeconds = new Histogram({ name: "wif_token_exchange_duration_seconds", help: "Token exchange latency, request to reply", labelNames: ["outcome"], buckets: SECONDS, registers: [registry] });
  const keyFetches = new Counter({ name: "wif_jwks_fetches_total", help: "Fetches of issuers' keys by issuer and outcome (success, failure)", labelNames: ["issuer", "outcome"], registers: [registry] });
  const gatewayRequests = new Counter({ name: "wif_gateway_requests_total", help: "Claude API gateway requests by status, model and service account", labelNames: ["status", "model", "service_account"], registers: [registry] });
  const gatewayTokens = new Counter({ name: "wif_gateway_tokens_total", help: "Tokens reported by the upstream, by kind (input, output, cache_creation, cache_read), model and service account", labelNames: ["kind", "model", "service_account"], registers: [registry] });
  const httpRequests = new Counter({ name: "wif_http_requests_total", help: "HTTP requests by route pattern, method and status", labelNames: ["route", "method", "status"], registers: [registry] });
  const httpSeconds = new Histogram({ name: "wif_http_request_duration_seconds", help: "HTTP request duration by route pattern", labelNames: ["route"], buckets: SECONDS, registers: [registry] });

  const model = boundedLabel(50);
  const serviceAccount = boundedLabel(5_000);
  const issuer = boundedLabel(5_000);
  const route = boundedLabel(500);

  return {
    registry,
    observeExchange(outcome, reason, seconds) {
      exchanges.inc({ outcome, reason });
      exchangeSeconds.observe({ outcome }, seconds);
    },
    observeKeyFetch(issuerId, ok) {
      keyFetches.inc({ issuer: issuer(issuerId), outcome: ok ? "success" : "failure" });
    },
    observeGatewayRequest(row) {
      const labels = { model: row.model ? model(row.model) : "none", service_account: row.service_account_id ? serviceAccount(row.service_account_id) : "none" };
      gatewayRequests.inc({ ...labels, status: String(row.status) });
      const kinds = [
        ["input", row.input_tokens],
        ["output", row.output_tokens],
        ["cache_creation", row.cache_creation_input_tokens],
        ["cache_read", row.cache_read_input_tokens],
      ] as const;
      for (const [kind, count] of kinds) if (count) gatewayTokens.inc({ ...labels, kind }, count);
    },
    observeHttpRequest(routePattern, method, status, seconds) {
      const r = route(routePattern);
      httpRequests.inc({ route: r, method, status: String(status) });
      httpSeconds.observe({ route: r }, seconds);
    },
    watchPool(pool) {
      new Gauge({
        name: "wif_db_pool_connections",
        help: "PostgreSQL pool connections by state (total, idle, waiting clients)",
        labelNames: ["state"],
        registers: [registry],
        collect() {
          this.set({ state: "total" }, pool.totalCount);
          this.set({ state: "idle" }, pool.idleCount);
          this.set({ state: "waiting" }, pool.waitingCount);
        },
      });
    },
    close() {
      registry.clear();
    },
  };
}
