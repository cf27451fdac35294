/**
 * What every `/v1` handler shares: the Hono environment, the one error -> reply mapping for
 * the platform's envelope, and reading a JSON body.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Principal } from "../services/context";
import { ApiError, errorEnvelope, invalidRequest } from "../core/errors";

export type ApiEnv = { Variables: { requestId: string; principal: Principal } };

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
