/**
 * One Node process, three request paths: `POST /v1/oauth/token` straight to its node:http
 * handler (the hot path pays for no framework), the rest of `/v1/*` (and the demo issuer's
 * OIDC documents) to the lean Hono app — the API must not pay for Next's pipeline, measured
 * at ~700 req/s against ~10k (see README) — and everything else to Next, which renders the
 * console. Before any of them, the edge refuses malformed requests (./edge-guard.ts) and
 * adds HSTS to https responses. Every request gets its ID here, is handled inside its request
 * context (lib/observability/log.ts) and ends with one access-log line and its metrics; the
 * operations endpoints (`/readyz`, `/metrics`) are answered here too. Closing drains: see
 * `close()` and docs/operating.md#drain.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { getRequestListener } from "@hono/node-server";
import type { Config } from "../config";
import { createApiApp } from "../api/app";
import { mountDemoIssuer } from "../api/demo-routes";
import { createTokenEndpoint, isTokenRequest } from "../api/token-endpoint";
import { fromNodeHeaders, resolveClient, stampPeerAddress } from "../services/forwarded";
import { gateServerActions } from "./action-gate";
import { createPasswordSignIn, PASSWORD_SIGN_IN_PATH } from "./password-sign-in";
import { createGatewayEndpoint, isGatewayRequest, type GatewayEndpoint } from "../api/gateway-endpoint";
import { startPoller } from "../jwks/poller";
import { startPruner } from "../store/retention";
import { createRuntime, setRuntime, type Runtime } from "../runtime";
import {
  ACTION_BODY_LIMIT,
  ACTION_MAX_NESTING,
  ALLOWED_METHODS,
  answerActionFailuresAsBadRequest,
  isServerActionRequest,
  nestsDeeperThan,
  readBody,
  refuseMalformedConsoleRequest,
  refuseMalformedRequest,
  sendRefusal,
  withBody,
} from "./edge-guard";
import { strictTransportSecurity } from "./hsts";
import { newId } from "../core/ids";
import { accessLogger, logger, runInRequest, type RequestContext } from "../observability/log";
import { flushLogs, installLogger } from "../observability/install-logger";
import { startIdleCollector } from "./idle-gc";
import { sendJson } from "./json-reply";
import { createReadiness, type Readiness } from "./readiness";
import { METRICS_PATH, serveMetrics, startMetricsListener } from "./metrics-endpoint";
import type { DestinationStream } from "pino";

export interface RunningServer {
  url: string;
  runtime: Runtime;
  server: http.Server;
  /** The Claude API gateway (its audit events, for tests). */
  gateway: GatewayEndpoint;
  readiness: Readiness;
  /** The metrics listener's URL, when WIF_METRICS_LISTEN is set. */
  metricsUrl: string | undefined;
  /**
   * Drain and stop: `/readyz` turns 503, no new connections, requests under way (streams
   * included) finish up to WIF_DRAIN_TIMEOUT_MS and are then cut, pending audit rows are
   * written, the store is closed.
   */
  close(): Promise<void>;
}

export interface ServeOptions {
  config: Config;
  /** Serve the console through Next (off in API tests: they need only `/v1`). */
  console: boolean;
  /** Project root for Next (where `.next` lives). */
  dir?: string;
  /** Serve https with this key and certificate instead of plain http. */
  tls?: https.ServerOptions;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

const isApiPath = (url: string) => url.startsWith("/v1/") || url === "/healthz" || url.startsWith("/.well-known/") || url.startsWith("/demo-issuer/");
const pathOf = (url: string) => url.split("?", 1)[0]!;
/** Probes and scrapes come every few seconds: their access lines are debug, not info. */
const PROBE_ROUTES = new Set(["/healthz", "/readyz", METRICS_PATH]);

/** A console path as a route: our IDs (`fdrl_01J…`) become `:id`, static assets one route. */
function consoleRoute(path: string): string {
  if (path.startsWith("/_next/")) return "/_next/*";
  return path.replace(/\/[a-z]+_[0-9A-HJKMNP-TV-Z]{26}(?=\/|$)/g, "/:id");
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  await installLogger(options.config.logging, options.logDestination);
  const runtime = await createRuntime(options.config);
  setRuntime(runtime);
  const api = createApiApp(runtime, (app) => mountDemoIssuer(app, runtime));
  const tokenEndpoint = createTokenEndpoint(runtime, { keysFor: (issuer) => runtime.keys.get(issuer) });
  const poller = startPoller(runtime.store.db, {
    intervalSeconds: options.config.jwksPollSeconds,
    maxFailures: options.config.jwksMaxFailures,
    refresh: (issuer) => runtime.keys.get(issuer).refresh(),
  });
  // Old history and audit rows, consumed jtis and expired tokens, in small batches (lib/store/retention.ts).
  const pruner = startPruner(runtime.store.db, options.config.retention, (err) => logger().error({ err }, "pruning old rows failed"));
  const apiListener = getRequestListener(api.fetch);
  // The Claude API gateway: /v1 paths the API app does not answer, and Claude Code's HEAD / probe.
  const gateway = await createGatewayEndpoint(runtime);

  type ConsoleHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  // Next loads while the server already listens, so /healthz and the API answer within a second
  // or two of start (`npm start` of a built tree); console requests wait for it, and serve()
  // itself resolves once it is ready (or fails with it).
  const nextApp = options.console
    ? (async () => {
        const { default: next } = await import("next");
        const app = next({ dev: options.config.dev, dir: options.dir ?? path.resolve(import.meta.dirname, "../.."), hostname: "localhost", port: options.config.port });
        await app.prepare();
        return { handle: app.getRequestHandler() as ConsoleHandler, close: () => app.close() };
      })()
    : undefined;
  nextApp?.catch(() => undefined); // awaited after listen; this only keeps an early failure from counting as unhandled
  const consoleHandler: ConsoleHandler | undefined = nextApp && ((req, res) => nextApp.then((app) => app.handle(req, res)));
  const closeNext = nextApp && (() => nextApp.then((app) => app.close(), () => undefined));

  const runConsole = (handler: NonNullable<typeof consoleHandler>, req: http.IncomingMessage, res: http.ServerResponse) => {
    handler(req, res).catch((err: unknown) => {
      logger().error({ err }, "console error");
      if (!res.headersSent) res.writeHead(500).end("Internal error");
    });
  };
  // Server actions (sign-in attempts among them) enter Next a few at a time, so a flood waits
  // here instead of taking the event loop the token endpoint shares (action-gate.ts).
  const toConsole = gateServerActions((req, res) => runConsole(consoleHandler!, req, res));
  // The password step of sign-in never enters Next: a flood of guesses is refused here cheaply (password-sign-in.ts).
  const passwordSignIn = createPasswordSignIn(runtime);

  const readiness = createReadiness(runtime);
  readiness.warmKeys();
  const answerReadiness = (res: http.ServerResponse) => {
    readiness.check().then(
      (report) => sendJson(res, report.status === "ready" ? 200 : 503, report),
      (err: unknown) => {
        logger().error({ err }, "readiness check failed");
        sendJson(res, 503, { status: "not_ready", error: "the readiness check failed; see the log" });
      },
    );
  };

  // Requests under way (their responses not yet closed), for the drain.
  const active = new Set<http.ServerResponse>();
  let draining = false;
  let whenIdle: Array<() => void> = [];
  /** `seconds`: from the request's arrival until its response closed. */
  const accessLine = (req: http.IncomingMessage, res: http.ServerResponse, context: RequestContext, seconds: number) => {
    const route = context.route ?? "unmatched";
    runtime.metrics.observeHttpRequest(route, req.method ?? "", res.statusCode, seconds);
    const line = {
      request_id: context.id,
      method: req.method,
      route,
      status: res.statusCode,
      duration_ms: Math.round(seconds * 100_000) / 100,
      ...(context.credentialKind ? { credential_kind: context.credentialKind, credential_id: context.credentialId ?? null } : {}),
      ...context.fields,
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    if (PROBE_ROUTES.has(route)) accessLogger().debug(line, "request");
    else accessLogger().info(line, "request");
  };

  let requestsSeen = 0;
  // Memory a burst used is given back once the server is idle (idle-gc.ts).
  const idleCollector = startIdleCollector({ requestCount: () => requestsSeen });
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requestsSeen++;
    const context: RequestContext = { id: newId("request") };
    const startedAt = performance.now();
    active.add(res);
    // While draining, each answer closes its connection.
    if (draining) res.shouldKeepAlive = false;
    res.once("close", () => {
      active.delete(res);
      const seconds = (performance.now() - startedAt) / 1000;
      if (context.until) void context.until.finally(() => accessLine(req, res, context, seconds));
      else accessLine(req, res, context, seconds);
      if (active.size === 0 && whenIdle.length > 0) for (const resolve of whenIdle.splice(0)) resolve();
    });
    runInRequest(context, () => route(req, res, context));
  };

  const route = (req: http.IncomingMessage, res: http.ServerResponse, context: RequestContext) => {
    // "Came over https": the socket's TLS, or a trusted proxy's X-Forwarded-Proto (forwarded.ts).
    const overHttps =
      (req.socket as TLSSocket).encrypted === true ||
      (options.config.trustedProxies.length > 0 && resolveClient(req.socket.remoteAddress, fromNodeHeaders(req.headers), options.config.trustedProxies).https);
    const hsts = strictTransportSecurity(overHttps, options.config.hstsMaxAgeSeconds);
    if (hsts) res.setHeader("strict-transport-security", hsts);
    const refusal = refuseMalformedRequest(req);
    if (refusal) {
      context.route = "refused";
      return sendRefusal(res, refusal);
    }
    const path = pathOf(req.url ?? "/");
    if (path === "/readyz") {
      context.route = path;
      res.setHeader("request-id", context.id);
      return answerReadiness(res);
    }
    if (path === METRICS_PATH) {
      context.route = path;
      return serveMetrics(req, res, runtime.metrics.registry, options.config.metrics, "main");
    }
    if (path === "/healthz") context.route = path;
    if (isTokenRequest(req)) {
      tokenEndpoint(req, res);
      return;
    }
    if (isGatewayRequest(req)) {
      gateway(req, res);
      return;
    }
    if (isApiPath(req.url ?? "/") || !consoleHandler) {
      void apiListener(req, res);
      return;
    }
    context.route = consoleRoute(path);
    res.setHeader("request-id", context.id);
    // Next never sees the socket: hand it the peer's address (lib/services/forwarded.ts).
    stampPeerAddress(req, options.config.trustedProxies);
    const consoleRefusal = refuseMalformedConsoleRequest(req, { publicUrl: options.config.publicUrl, trustedProxies: options.config.trustedProxies });
    if (consoleRefusal) return sendRefusal(res, consoleRefusal);
    if (path === PASSWORD_SIGN_IN_PATH) return passwordSignIn(req, res);
    if (!isServerActionRequest(req)) return runConsole(consoleHandler, req, res);
    // A server action: its body is read here, within Next's size limit, and refused if it
    // nests too deeply; then Next decodes it from the copy.
    answerActionFailuresAsBadRequest(res);
    readBody(req, ACTION_BODY_LIMIT).then(
      (body) => {
        if (body === "too_large") return sendRefusal(res, { status: 413, type: "request_too_large", message: `a server action body may be at most ${ACTION_BODY_LIMIT} bytes` });
        if (nestsDeeperThan(body, ACTION_MAX_NESTING)) return sendRefusal(res, { status: 400, type: "invalid_request_error", message: `the server action body nests deeper than ${ACTION_MAX_NESTING} levels` });
        toConsole(withBody(req, body), res);
      },
      () => res.destroy(),
    );
  };
  const server = options.tls ? https.createServer(options.tls, onRequest) : http.createServer(onRequest);
  // CONNECT never reaches "request"; unanswered, Node would drop the connection.
  server.on("connect", (_req: http.IncomingMessage, socket: Duplex) => {
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nallow: ${ALLOWED_METHODS}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  });
  // Keep-alive longer than typical load balancer idle timeouts avoids spurious resets.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.config.port, options.config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const metricsListener = options.config.metrics.listen
    ? await startMetricsListener(runtime.metrics.registry, { ...options.config.metrics, listen: options.config.metrics.listen })
    : undefined;
  let closing: Promise<void> | undefined;
  const url = `${options.tls ? "https" : "http"}://${options.config.host === "0.0.0.0" || options.config.host === "::" ? "localhost" : options.config.host}:${port}`;
  runtime.publicUrl = options.config.publicUrl ?? url;
  // Serving the API already; the console is ready once Next is.
  try {
    await nextApp;
  } catch (err) {
    server.close();
    poller.stop();
    await pruner.stop();
    await gateway.close();
    await runtime.close();
    throw err;
  }

  return {
    url,
    runtime,
    server,
    gateway,
    readiness,
    metricsUrl: metricsListener?.url,
    close() {
      // Idempotent: a test may stop a server and close it again.
      closing ??= (async () => {
        const deadline = options.config.drainTimeoutMs;
        logger().info({ in_flight: active.size, drain_timeout_ms: deadline }, "draining");
        draining = true;
        readiness.drain();
        // Answers not yet begun close their connection once sent.
        for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
        poller.stop();
        idleCollector.stop();
        await pruner.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (metricsListener) {
          metricsListener.server.close();
          metricsListener.server.closeAllConnections();
        }
        // Requests under way finish, up to the deadline; gateway streams still going then are cut.
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<void>((resolve) => (active.size === 0 ? resolve() : whenIdle.push(resolve)));
        const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline)));
        await Promise.all([gateway.drain(deadline), Promise.race([idle, timeUp])]);
        clearTimeout(timer);
        const cut = active.size;
        server.closeAllConnections();
        await closed;
        // Exchanges already under way still record their outcome before the store closes.
        await tokenEndpoint.settled();
        // The gateway's queued audit rows are written.
        await gateway.close();
        await closeNext?.();
        await runtime.close();
        logger().info({ cut }, "drained");
        await flushLogs();
      })();
      return closing;
    },
  };
}
