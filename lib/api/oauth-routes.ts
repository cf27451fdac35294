/**
 * So other gateways can trust our tokens: RFC 7662 introspection, RFC 7009 revocation and
 * RFC 8414 authorization-server metadata. Introspection and revocation are authenticated by an
 * admin key or an `org:admin` token; a token may also revoke itself.
 * @see docs/gateway.md#introspection-and-revocation
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../core/errors";
import { OAUTH_SCOPES } from "../core/scopes";
import { assertCanRead, type AdminContext, type Principal } from "../services/context";
import { parseInput } from "../services/parse";
import { describeToken, revokeAccessToken } from "../services/token-introspection";
import { secretKind } from "../core/secrets";
import type { Runtime } from "../runtime";
import { authenticate, presentedCredential } from "./authenticate";
import type { ApiEnv } from "./http";

const MAX_BODY = 64 * 1024;

const tokenRequest = z.object({
  token: z.string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") }).min(1, "must not be empty").max(1024, "is too long"),
  token_type_hint: z.string().max(64).optional(),
});

/** RFC 7662 and 7009 bodies are form-encoded; JSON is accepted too. */
async function readTokenRequest(c: Context<ApiEnv>) {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > MAX_BODY) throw new ApiError(413, `request body: must be at most ${MAX_BODY / 1024} KiB`);
  const text = await c.req.text();
  if (text.length > MAX_BODY) throw new ApiError(413, `request body: must be at most ${MAX_BODY / 1024} KiB`);
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let body: unknown;
  if (type === "application/json") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, "request body: is not valid JSON");
    }
  } else {
    body = Object.fromEntries(new URLSearchParams(text));
  }
  return parseInput(tokenRequest, body);
}

export function mountOAuthRoutes(app: Hono<ApiEnv>, runtime: Runtime): void {
  const db = runtime.store.db;
  const ctxOf = (c: Context<ApiEnv>, principal: Principal): AdminContext => ({ db, principal, requestId: c.get("requestId"), config: runtime.config });
  /** The token in question as a principal, or undefined when authenticate() refuses it. */
  const principalOf = async (token: string) => {
    try {
      return await authenticate(runtime.store, token);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return undefined;
      throw err;
    }
  };

  app.post("/v1/oauth/introspect", async (c) => {
    const caller = await authenticate(runtime.store, presentedCredential(c.req.raw.headers));
    const ctx = ctxOf(c, caller);
    assertCanRead(ctx);
    const { token } = await readTokenRequest(c);
    return c.json(await describeToken(ctx, await principalOf(token), runtime.publicUrl));
  });

  app.post("/v1/oauth/revoke", async (c) => {
    const credential = presentedCredential(c.req.raw.headers);
    const caller = await authenticate(runtime.store, credential);
    const { token } = await readTokenRequest(c);
    const ctx = ctxOf(c, caller);
    // A token may revoke itself; revoking others takes an admin key or an org:admin token.
    if (token !== credential) assertCanRead(ctx);
    if (secretKind(token) === "api" || secretKind(token) === "admin") {
      return c.json({ error: "unsupported_token_type", error_description: "only access tokens are revoked here; deactivate API keys through the Admin API" }, 400);
    }
    await revokeAccessToken(ctx, token);
    return c.body(null, 200);
  });

  app.get("/.well-known/oauth-authorization-server", (c) => {
    const issuer = runtime.publicUrl;
    c.header("cache-control", "public, max-age=300");
    return c.json({
      issuer,
      token_endpoint: `${issuer}/v1/oauth/token`,
      introspection_endpoint: `${issuer}/v1/oauth/introspect`,
      revocation_endpoint: `${issuer}/v1/oauth/revoke`,
      grant_types_supported: ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
      response_types_supported: [],
      scopes_supported: OAUTH_SCOPES,
      // The token endpoint authenticates the assertion alone.
      token_endpoint_auth_methods_supported: ["none"],
      // Self-hosted: an admin key or an org:admin token as a Bearer credential.
      introspection_endpoint_auth_methods_supported: ["bearer"],
      revocation_endpoint_auth_methods_supported: ["bearer"],
    });
  });
}

