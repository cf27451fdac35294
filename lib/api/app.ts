/**
 * The `/v1` HTTP layer: request IDs, the platform's error envelope, body limits,
 * authentication and the routes. Handlers parse, authorise (inside lib/services), call one
 * operation and shape the reply.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { routePath } from "hono/route";
import { recordAudit } from "../services/audit";
import { errorEnvelope, tooLarge } from "../core/errors";
import { newId } from "../core/ids";
import { annotateRequest, currentRequest, logger } from "../observability/log";
import type { Runtime } from "../runtime";
import { authenticate, presentedCredential } from "./authenticate";
import { errorResponse, type ApiEnv } from "./http";
import { mountAdminRoutes } from "./admin-routes";
import { mountConfigRoutes } from "./config-routes";
import { mountGatewayAdminRoutes } from "./gateway-admin-routes";
import { mountOAuthRoutes } from "./oauth-routes";
import { openApiDocument } from "./openapi";

/** Admin API bodies are small JSON documents; anything larger is refused before parsing. */
const MAX_ADMIN_BODY = 256 * 1024;

export function createApiApp(runtime: Runtime, extra?: (app: Hono<ApiEnv>) => void): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.use("*", async (c, next) => {
    // The ID lib/server/serve.ts gave the request (its access line and log lines carry it too).
    const requestId = currentRequest()?.id ?? newId("request");
    c.set("requestId", requestId);
    c.header("request-id", requestId);
    c.header("x-content-type-options", "nosniff");
    c.header("cache-control", "no-store");
    await next();
    // The route's pattern, not the path: IDs in paths would make every line (and metric) unique.
    const route = routePath(c, -1);
    annotateRequest({ route: route === "*" || route === "/*" ? "unmatched" : route });
  });

  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json(errorEnvelope("not_found_error", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

  // Liveness for load balancers and the e2e runner; the process listens only once Next is ready.
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  // The API's description, generated from its schemas; public, like the SDKs' own.
  app.get("/v1/openapi.json", (c) => c.json(openApiDocument()));

  extra?.(app);
  mountOAuthRoutes(app, runtime);

  const admin = new Hono<ApiEnv>();
  admin.use(
    "*",
    bodyLimit({
      maxSize: MAX_ADMIN_BODY,
      onError: () => {
        throw tooLarge(`request body: must be at most ${MAX_ADMIN_BODY / 1024} KiB`);
      },
    }),
  );
  admin.use("*", async (c, next) => {
    const principal = await authenticate(runtime.store, presentedCredential(c.req.raw.headers));
    c.set("principal", principal);
    annotateRequest({ credentialKind: principal.kind, credentialId: "id" in principal ? principal.id : null });
    try {
      await next();
    } finally {
      // Every authenticated request is audited, with its outcome.
      await recordAudit(runtime.store.db, principal, principal.organizationId, c.get("requestId"), {
        action: "api.request",
        outcome: c.res.status < 400 ? "success" : "failure",
        statusCode: c.res.status,
        detail: { method: c.req.method, path: new URL(c.req.url).pathname },
      }).catch((err: unknown) => logger().error({ err }, "audit write failed"));
    }
  });
  mountAdminRoutes(admin, runtime);
  mountGatewayAdminRoutes(admin, runtime);
  mountConfigRoutes(admin, runtime);
  app.route("/v1/organizations", admin);
  return app;
}

