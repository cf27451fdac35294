/**
 * `POST /auth/password`: the password step of console sign-in, answered here rather than by a
 * Next server action. A sign-in is the one console request strangers can send in bulk, and
 * Next's action pipeline costs 6–10 ms of the event loop per call even when a rate limit
 * refuses it at once — the event loop the token endpoint shares. Here a refused attempt
 * costs a body read, three counter increments and a small JSON reply, so a flood of guesses
 * leaves the token path alone (`npm run bench -- signin`).
 *
 * Same contract as the console's actions: the reply is an `ActionResult` (HTTP status = the
 * error's status), the session (or the pending second-factor) cookie is set on success, and
 * serve.ts has already refused cross-site posts (edge-guard.ts, the same-origin check) and
 * stamped the peer address forwarded-header decisions rest on.
 * @see docs/architecture.md#sign-in-outside-next
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { serialize } from "hono/utils/cookie";
import { z } from "zod";
import type { ActionResult } from "../console/action-result";
import { requestClient, safeReturnPath } from "../console/request";
import { SECOND_FACTOR_COOKIE, sealPendingSignIn } from "../console/second-factor";
import { SESSION_COOKIE, sessionCookieOptions } from "../console/session";
import { checkPasswordSignIn, startPasswordSession } from "../console/sign-in";
import { errorReply } from "../core/error-reply";
import { invalidRequest } from "../core/errors";
import { currentRequest, reportInternalError } from "../observability/log";
import { newId } from "../core/ids";
import type { Runtime } from "../runtime";
import { headerBag, readBody } from "./edge-guard";
import { sendJson } from "./json-reply";

export { PASSWORD_SIGN_IN_PATH } from "../schemas/vocabulary";

/** An email, a password and a return path fit in far less; a larger body is refused unread. */
const MAX_BODY_BYTES = 8 * 1024;

/** The envelope the sign-in form posts; the email and password themselves are the sign-in schema's to check. */
const envelope = z.strictObject({ email: z.unknown(), password: z.unknown(), next: z.unknown().optional() });

type SignInReply = ActionResult<{ redirectTo: string } | { secondFactor: true }>;

/** The handler serve.ts calls for `PASSWORD_SIGN_IN_PATH`, any method. */
export function createPasswordSignIn(runtime: Runtime): (req: IncomingMessage, res: ServerResponse) => void {
  async function signIn(req: IncomingMessage, body: string): Promise<{ reply: SignInReply; cookie?: string }> {
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw invalidRequest("body", "send the sign-in as application/json");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw invalidRequest("body", "the sign-in body is not valid JSON");
    }
    const input = envelope.safeParse(parsed);
    if (!input.success) throw invalidRequest("body", "the sign-in body must be an object with email, password and (optionally) next, nothing else");
    const client = requestClient(headerBag(req.headers), runtime.config.trustedProxies);
    const checked = await checkPasswordSignIn(runtime.store, runtime.organizationId, { email: input.data.email, password: input.data.password }, client);
    const returnTo = safeReturnPath(input.data.next);
    if (checked.secondFactor) {
      const pending = sealPendingSignIn(runtime.secrets, checked.user.id, returnTo);
      const cookie = serialize(SECOND_FACTOR_COOKIE, pending.value, { httpOnly: true, sameSite: "Strict", path: "/", secure: client.https, expires: pending.expiresAt });
      return { reply: { ok: true, data: { secondFactor: true } }, cookie };
    }
    const signedIn = await startPasswordSession(runtime.store.db, checked.user, client);
    const options = sessionCookieOptions({ secure: client.https, expiresAt: signedIn.expiresAt });
    const cookie = serialize(SESSION_COOKIE, signedIn.sessionId, { httpOnly: options.httpOnly, sameSite: "Strict", path: options.path, secure: options.secure, expires: options.expires });
    return { reply: { ok: true, data: { redirectTo: returnTo } }, cookie };
  }

  return (req, res) => {
    if (req.method !== "POST") {
      req.resume();
      return send(res, 405, { ok: false, error: { status: 405, message: `${req.method} is not allowed; the sign-in form posts here` } }, undefined, { allow: "POST" });
    }
    readBody(req, MAX_BODY_BYTES)
      .then(async (body) => {
        if (body === "too_large") return send(res, 413, { ok: false, error: { status: 413, message: `a sign-in body may be at most ${MAX_BODY_BYTES / 1024} KiB` } });
        try {
          const { reply, cookie } = await signIn(req, body.toString("utf8"));
          send(res, 200, reply, cookie);
        } catch (err) {
          const reply = errorReply(err, currentRequest()?.id ?? newId("request"), reportInternalError);
          send(res, reply.status, { ok: false, error: { status: reply.status, message: reply.message, ...(reply.field ? { field: reply.field } : {}) } });
        }
      })
      .catch(() => res.destroy());
  };
}

function send(res: ServerResponse, status: number, reply: SignInReply, cookie?: string, extra: Record<string, string> = {}): void {
  sendJson(res, status, reply, { ...(cookie ? { "set-cookie": cookie } : {}), ...extra });
}
