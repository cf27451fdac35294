/**
 * One Node process, three request paths: `POST /v1/oauth/token` straight to its node:http
 * handler (the hot path pays for no framework), the rest of `/v1/*` (and the demo issuer's
 * OIDC documents) to the lean Hono app — the API must not pay for Next's pipeline, measured
 * at ~700 req/s against ~10k (see README) — and everything else to Next, which renders the
 * console. Before any of them, the edge refuses malformed requests (./edge-guard.ts) and
 * adds HSTS to https responses.
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

export interface RunningServer {
  url: string;
  runtime: Runtime;
  server: http.Server;
  /** The Claude API gateway (its audit events, for tests). */
  gateway: GatewayEndpoint;
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
}

const isApiPath = (url: string) => url.startsWith("/v1/") || url === "/healthz" || url.startsWith("/.well-known/") || url.startsWith("/demo-issuer/");

export async function serve(options: ServeOptions): Promise<RunningServer> {
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
  const pruner = startPruner(runtime.store.db, options.config.retention, (err) => console.error(`prune: ${err.message}`));
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
      console.error(`console error: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end("Internal error");
    });
  };
  // Server actions (sign-in attempts among them) enter Next a few at a time, so a flood waits
  // here instead of taking the event loop the token endpoint shares (action-gate.ts).
  const toConsole = gateServerActions((req, res) => runConsole(consoleHandler!, req, res));

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // "Came over https": the socket's TLS, or a trusted proxy's X-Forwarded-Proto (forwarded.ts).
    const overHttps =
      (req.socket as TLSSocket).encrypted === true ||
      (options.config.trustedProxies.length > 0 && resolveClient(req.socket.remoteAddress, fromNodeHeaders(req.headers), options.config.trustedProxies).https);
    const hsts = strictTransportSecurity(overHttps, options.config.hstsMaxAgeSeconds);
    if (hsts) res.setHeader("strict-transport-security", hsts);
    const refusal = refuseMalformedRequest(req);
    if (refusal) return sendRefusal(res, refusal);
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
    // Next never sees the socket: hand it the peer's address (lib/services/forwarded.ts).
    stampPeerAddress(req, options.config.trustedProxies);
    const consoleRefusal = refuseMalformedConsoleRequest(req, { publicUrl: options.config.publicUrl, trustedProxies: options.config.trustedProxies });
    if (consoleRefusal) return sendRefusal(res, consoleRefusal);
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
    close() {
      // Idempotent: a test may stop a server and close it again.
      closing ??= (async () => {
        poller.stop();
        await pruner.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Gateway requests under way (streams) finish first, up to the configured deadline.
        await gateway.drain(options.config.gateway.shutdownGraceMs);
        server.closeAllConnections();
        await closed;
        // Exchanges already under way still record their outcome before the store closes.
        await tokenEndpoint.settled();
        await gateway.close();
        await closeNext?.();
        await runtime.close();
      })();
      return closing;
    },
  };
}
