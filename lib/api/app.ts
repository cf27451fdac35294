/**
 * The `/v1` HTTP layer: request IDs, the platform's error envelope, body limits,
 * authentication and the routes. Handlers parse, authorise (inside lib/admin), call one
 * operation and shape the reply.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Principal } from "../admin/context";
import { recordAudit } from "../admin/audit";
import { ApiError, errorEnvelope, invalidRequest, tooLarge } from "../errors";
import { newId } from "../federation/ids";
import type { Runtime } from "../server/runtime";
import { authenticate, presentedCredential } from "./authenticate";
import { mountAdminRoutes } from "./admin-routes";

export type ApiEnv = { Variables: { requestId: string; principal: Principal } };

/** Admin API bodies are small JSON documents; anything larger is refused before parsing. */
const MAX_ADMIN_BODY = 256 * 1024;

export function createApiApp(runtime: Runtime, extra?: (app: Hono<ApiEnv>) => void): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.use("*", async (c, next) => {
    const requestId = newId("request");
    c.set("requestId", requestId);
    c.header("request-id", requestId);
    c.header("x-content-type-options", "nosniff");
    c.header("cache-control", "no-store");
    await next();
  });

  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json(errorEnvelope("not_found_error", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

  // Liveness for load balancers and the e2e runner; the process listens only once Next is ready.
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  extra?.(app);

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
    const principal = await authenticate(runtime.store.db, presentedCredential(c.req.raw.headers));
    c.set("principal", principal);
    try {
      await next();
    } finally {
      // Every authenticated request is audited, with its outcome.
      await recordAudit(runtime.store.db, principal, principal.organizationId, c.get("requestId"), {
        action: "api.request",
        outcome: c.res.status < 400 ? "success" : "failure",
        statusCode: c.res.status,
        detail: { method: c.req.method, path: new URL(c.req.url).pathname },
      }).catch((err: unknown) => console.error(`audit write failed: ${(err as Error).message}`));
    }
  });
  mountAdminRoutes(admin, runtime);
  app.route("/v1/organizations", admin);
  return app;
}

/** The platform's envelope for an error; internal errors are logged (no secrets) and answered generically. */
export function errorResponse(c: Context, err: unknown): Response {
  // A client error will fail the same way again; tell SDKs (which retry 409 by default) not to.
  c.header("x-should-retry", "false");
  if (err instanceof ApiError) return c.json(errorEnvelope(err.type, err.message), err.status);
  if (err instanceof HTTPException && err.status === 413) return c.json(errorEnvelope("request_too_large", "request body is too large"), 413);
  if (err instanceof HTTPException && err.status < 500) {
    return c.json(errorEnvelope(err.status === 401 ? "authentication_error" : "invalid_request_error", err.message || "invalid request"), err.status);
  }
  c.header("x-should-retry", "true");
  const requestId = c.get("requestId") as string | undefined;
  console.error(`[${requestId}] internal error: ${(err as Error)?.stack ?? String(err)}`);
  return c.json(errorEnvelope("api_error", `Internal server error (request-id ${requestId})`), 500);
}

/** The JSON body of a request; an empty body is `{}` (the SDK sends none on archive). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest(null, "request body: is not valid JSON");
  }
}
