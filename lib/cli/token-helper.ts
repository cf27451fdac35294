/**
 * `wif token`: an access token for tools that take a key from a command — Claude Code's
 * `apiKeyHelper`, shell scripts. Reads the workload's identity token and the same `ANTHROPIC_*`
 * federation variables the SDKs read, exchanges at this server's token endpoint, and caches
 * the access token in a file only its owner can read until shortly before it expires.
 * @see docs/gateway.md#token-helper
 */
import fs from "node:fs";
import path from "node:path";
import type { TokenHelperConfig } from "../config";

interface CachedToken {
  access_token: string;
  /** Milliseconds since the epoch after which a new token is fetched. */
  refresh_at: number;
  expires_at: number;
}

/** Refresh this long before expiry (the SDK's advisory window), or at half the lifetime of a short token. */
const REFRESH_BEFORE_MS = 120_000;

export class TokenHelperError extends Error {}

function readCache(file: string, now: number): CachedToken | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(file, "utf8")) as CachedToken;
    if (typeof cached.access_token === "string" && typeof cached.refresh_at === "number" && now < cached.refresh_at) return cached;
  } catch {
    // missing or unreadable: exchange anew
  }
  return undefined;
}

/** Written to a private temporary file and renamed, so a reader never sees half a token or a wider mode. */
function writeCache(file: string, token: CachedToken): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(token), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function identityToken(config: TokenHelperConfig): string {
  if (config.identityTokenFile) {
    try {
      // Re-read on every exchange: platforms rotate the file.
      return fs.readFileSync(config.identityTokenFile, "utf8").trim();
    } catch (err) {
      throw new TokenHelperError(`cannot read ANTHROPIC_IDENTITY_TOKEN_FILE ${config.identityTokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return config.identityToken!;
}

/** The access token to print: the cached one while it is fresh, else a new exchange. */
export async function accessToken(config: TokenHelperConfig, now = Date.now()): Promise<string> {
  const cached = readCache(config.cacheFile, now);
  if (cached) return cached.access_token;
  const res = await fetch(`${config.baseUrl}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-beta": "oauth-2025-04-20,oidc-federation-2026-04-01" },
    body: JSON.stringify({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: identityToken(config),
      federation_rule_id: config.ruleId,
      organization_id: config.organizationId,
      ...(config.serviceAccountId ? { service_account_id: config.serviceAccountId } : {}),
      ...(config.workspaceId ? { workspace_id: config.workspaceId } : {}),
    }),
    signal: AbortSignal.timeout(30_000),
  }).catch((err: unknown) => {
    throw new TokenHelperError(`cannot reach ${config.baseUrl}: ${(err as Error).message}`);
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: { type?: string; message?: string } };
  if (!res.ok || typeof body.access_token !== "string" || typeof body.expires_in !== "number") {
    const requestId = res.headers.get("request-id");
    throw new TokenHelperError(
      `the exchange was refused (${res.status} ${body.error?.type ?? ""}: ${body.error?.message ?? "no message"})${requestId ? `; the server's authentication history has the reason under request-id ${requestId}` : ""}`,
    );
  }
  const lifetimeMs = body.expires_in * 1000;
  writeCache(config.cacheFile, { access_token: body.access_token, expires_at: now + lifetimeMs, refresh_at: now + lifetimeMs - Math.min(REFRESH_BEFORE_MS, lifetimeMs / 2) });
  return body.access_token;
}
