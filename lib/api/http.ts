/**
 * What every `/v1` handler shares: the Hono environment, errors in the platform's envelope
 * (lib/core/error-reply.ts decides the reply), and reading a JSON body.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Principal } from "../services/context";
import { errorReply } from "../core/error-reply";
import { reportInternalError } from "../observability/log";
import { ApiError, ERROR_TYPE_BY_STATUS, errorEnvelope, invalidRequest, tooLarge, type ErrorStatus } from "../core/errors";

export type ApiEnv = { Variables: { requestId: string; principal: Principal } };

/** An error in the platform's envelope, with `x-should-retry` for the SDKs (which retry 409 by default). */
export function errorResponse(c: Context, err: unknown): Response {
  const reply = errorReply(fromHono(err), c.get("requestId") as string, reportInternalError);
  c.header("x-should-retry", String(reply.retryable));
  return c.json(errorEnvelope(reply.type, reply.message), reply.status);
}

/** Hono's own client errors (its middleware throws `HTTPException`) as ours; anything else unchanged. */
function fromHono(err: unknown): unknown {
  if (!(err instanceof HTTPException) || err.status >= 500) return err;
  if (err.status === 413) return tooLarge("request body is too large");
  const message = err.message || "invalid request";
  return err.status in ERROR_TYPE_BY_STATUS ? new ApiError(err.status as ErrorStatus, message) : invalidRequest(null, message);
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
