/**
 * The guided setup's "check the issuer's keys": fetch an issuer's discovery document and key
 * set through the SSRF guard and describe the keys found. An administrator types these URLs,
 * so the check must not become a port scanner: it is rate-limited per user, and every
 * network-level failure gets the same message (docs/security.md#fetching-issuer-keys).
 */
import "server-only";
import type { JWK } from "jose";
import { z } from "zod";
import { getIssuer } from "@/lib/services/issuers";
import { parseInput } from "@/lib/services/parse";
import type { ConsoleContext } from "@/lib/console/auth";
import { SlidingWindowLimiter, tooManyAttemptsMessage } from "@/lib/services/rate-limit";
import { rateLimited } from "@/lib/core/errors";
import { IssuerKeySource, resolveJwksUri, type IssuerKeyConfig, type KeyDescription } from "@/lib/jwks/key-resolver";
import { FetchRefused, safeFetchJson, type FetchRefusalCode } from "@/lib/jwks/safe-fetch";
import { taggedId } from "@/lib/schemas/common";
import { httpsUrl, jwksConfig } from "@/lib/schemas/issuers";
import type { Runtime } from "@/lib/runtime";

export const checkIssuerInput = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("existing"), id: taggedId("fdis_") }),
  z.strictObject({ mode: z.literal("new"), issuer_url: httpsUrl, jwks: jwksConfig }),
]);

export type IssuerKeyCheck = { ok: true; jwksUri: string | null; keys: KeyDescription[] } | { ok: false; message: string };

/** Ten checks a minute per user: enough to fix a typo, too few to scan a network. */
const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000 });

/** Failures that say something about the network behind the URL all read the same. */
const UNIFORM: ReadonlySet<FetchRefusalCode> = new Set(["address_not_allowed", "network", "timeout", "http_status", "redirect_not_allowed", "too_large", "not_json"]);
const UNIFORM_MESSAGE =
  "The issuer's keys could not be fetched. Check that the URL is right, that it is reachable from this server over https on port 443 at a public address, and that it answers with JSON within 5 seconds without redirects.";

function failure(err: unknown): IssuerKeyCheck {
  if (!(err instanceof FetchRefused)) throw err;
  // Problems found in a document a public address served are the user's to fix, e.g. an issuer differing by a trailing slash.
  if (/^the (discovery|JWKS) document/.test(err.message)) return { ok: false, message: `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` };
  return { ok: false, message: UNIFORM.has(err.code) ? UNIFORM_MESSAGE : err.message };
}

/** Describe JWKs with the key resolver's own rules (inline keys are never fetched). */
function describeKeys(keys: JWK[]): KeyDescription[] {
  return new IssuerKeySource({ id: "check", issuer_url: "", jwks: { type: "inline", keys: keys as Array<Record<string, unknown>> } }, { allowInsecureLocal: false }).describeKeys();
}

/** Fetch and describe the keys of an issuer being set up, or of a registered one. */
export async function checkIssuerKeys(ctx: ConsoleContext, runtime: Pick<Runtime, "config">, input: unknown): Promise<IssuerKeyCheck> {
  const body = parseInput(checkIssuerInput, input);
  const config: IssuerKeyConfig = body.mode === "existing" ? await getIssuer(ctx, body.id) : { id: "check", issuer_url: body.issuer_url, jwks: body.jwks };
  if (config.jwks.type === "inline") return { ok: true, jwksUri: null, keys: describeKeys(config.jwks.keys as JWK[]) };

  const allowed = limiter.check(ctx.user.id);
  if (!allowed.allowed) throw rateLimited(tooManyAttemptsMessage(allowed.retryAfterMs));
  limiter.record(ctx.user.id);

  const options = { allowInsecureLocal: runtime.config.allowInsecureIssuers, caCertPem: config.jwks.ca_cert_pem ?? null, proxy: runtime.config.outboundProxy };
  try {
    const jwksUri = await resolveJwksUri(config, (url) => safeFetchJson(url, options));
    const set = (await safeFetchJson(jwksUri, options)) as { keys?: unknown } | null;
    if (!set || !Array.isArray(set.keys)) throw new FetchRefused("not_json", "the JWKS document has no keys array");
    const keys = set.keys.filter((k): k is JWK => k !== null && typeof k === "object");
    return { ok: true, jwksUri, keys: describeKeys(keys) };
  } catch (err) {
    return failure(err);
  }
}
