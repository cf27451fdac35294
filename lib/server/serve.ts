/**
 * One Node process, three request paths: `POST /v1/oauth/token` straight to its node:http
 * handler (the hot path pays for no framework), the rest of `/v1/*` (and the demo issuer's
 * OIDC documents) to the lean Hono app — the API must not pay for Next's pipeline, measured
 * at ~700 req/s against ~10k (see README) — and everything else to Next, which renders the
 * console.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { getRequestListener } from "@hono/node-server";
import type { Config } from "../config";
import { createApiApp } from "../api/app";
import { mountDemoIssuer } from "../api/demo-routes";
import { createTokenEndpoint, isTokenRequest } from "../api/token-endpoint";
import { stampPeerAddress } from "../services/forwarded";
import { gateServerActions } from "./action-gate";
import { createGatewayEndpoint, isGatewayRequest, type GatewayEndpoint } from "../api/gateway-endpoint";
import { startPoller } from "../jwks/poller";
import { pruneExpired } from "../store/exchange-store";
import { createRuntime, setRuntime, type Runtime } from "../runtime";

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
  const pruner = setInterval(() => {
    pruneExpired(runtime.store.db).catch((err: unknown) => console.error(`prune: ${(err as Error).message}`));
  }, 10 * 60_000);
  pruner.unref();
  const apiListener = getRequestListener(api.fetch);
  // The Claude API gateway: /v1 paths the API app does not answer, and Claude Code's HEAD / probe.
  const gateway = await createGatewayEndpoint(runtime);

  let consoleHandler: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | undefined;
  let closeNext: (() => Promise<void>) | undefined;
  if (options.console) {
    const { default: next } = await import("next");
    const app = next({ dev: options.config.dev, dir: options.dir ?? path.resolve(import.meta.dirname, "../.."), hostname: "localhost", port: options.config.port });
    await app.prepare();
    consoleHandler = app.getRequestHandler();
    closeNext = () => app.close();
  }

  // Server actions (sign-in attempts among them) enter Next a few at a time, so a flood waits
  // here instead of taking the event loop the token endpoint shares (action-gate.ts).
  const toConsole = gateServerActions((req, res) => {
    consoleHandler!(req, res).catch((err: unknown) => {
      console.error(`console error: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end("Internal error");
    });
  });

  const server = http.createServer((req, res) => {
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
    toConsole(req, res);
  });
  // Keep-alive longer than typical load balancer idle timeouts avoids spurious resets.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.config.port, options.config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const url = `http://${options.config.host === "0.0.0.0" || options.config.host === "::" ? "localhost" : options.config.host}:${port}`;
  runtime.publicUrl = options.config.publicUrl ?? url;

  return {
    url,
    runtime,
    server,
    gateway,
    close() {
      // Idempotent: a test may stop a server and close it again.
      closing ??= (async () => {
        poller.stop();
        clearInterval(pruner);
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
