/**
 * Issuer keys, cached: one `IssuerKeySource` per issuer for the life of the process, so an
 * unknown `kid` triggers one rate-limited refetch (never one per request), concurrent misses
 * share one fetch, and a key the issuer dropped stops working after the next fetch.
 * Inline keys are never fetched. Remote fetches go through the SSRF guard.
 */
import { KeyObject } from "node:crypto";
import { importJWK, type JWK } from "jose";
import { ExchangeDenied } from "../core/deny-reasons";
import { rsaModulusBits } from "../core/jwks-validation";
import type { JwksConfig, KeyResolver } from "../core/types";
import { FetchRefused, safeFetchJson, type SafeFetchOptions } from "./safe-fetch";

export interface IssuerKeyConfig {
  id: string;
  issuer_url: string;
  jwks: JwksConfig;
}

export interface KeySourceOptions {
  allowInsecureLocal: boolean;
  /** Minimum time between two fetches triggered by unknown kids. */
  cooldownMs?: number;
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
  fetchJson?: (url: string, options: SafeFetchOptions) => Promise<unknown>;
  /** Told of every fetch of an issuer's keys and, when it failed, why (metrics, logs). */
  onFetch?: (issuerId: string, error: Error | undefined) => void;
}

export interface KeyDescription {
  kid: string;
  kty: string;
  alg: string | null;
  use: string | null;
  crv: string | null;
  bits: number | null;
  /** Why this key cannot be used, when it cannot. */
  problem: string | null;
}

export type RefreshOutcome = { ok: true; keyCount: number } | { ok: false; message: string };

type Verifier = CryptoKey | KeyObject | Uint8Array;

/** The JWKS URL of an issuer: explicit, or from its discovery document (whose `issuer` must match). */
export async function resolveJwksUri(issuer: IssuerKeyConfig, fetchJson: (url: string) => Promise<unknown>): Promise<string> {
  if (issuer.jwks.type === "explicit_url") return issuer.jwks.url;
  if (issuer.jwks.type === "inline") throw new Error("inline keys have no URL");
  const base = (issuer.jwks.discovery_base ?? issuer.issuer_url).replace(/\/+$/, "");
  const doc = (await fetchJson(`${base}/.well-known/openid-configuration`)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (!doc || typeof doc !== "object") throw new FetchRefused("not_json", "the discovery document is not a JSON object");
  if (doc.issuer !== issuer.issuer_url) {
    throw new FetchRefused("http_status", `the discovery document's issuer ${JSON.stringify(doc.issuer)} differs from the configured ${JSON.stringify(issuer.issuer_url)}`);
  }
  if (typeof doc.jwks_uri !== "string") throw new FetchRefused("not_json", "the discovery document has no jwks_uri");
  return doc.jwks_uri;
}

function describe(jwk: JWK): KeyDescription {
  const bits = jwk.kty === "RSA" && typeof jwk.n === "string" ? rsaModulusBits(jwk.n) : null;
  let problem: string | null = null;
  if (typeof jwk.kid !== "string" || !jwk.kid) problem = "no kid";
  else if ("d" in jwk) problem = "contains private key material";
  else if (jwk.kty !== "RSA" && jwk.kty !== "EC") problem = `kty ${String(jwk.kty)} cannot verify RS/PS/ES tokens`;
  else if (bits !== null && bits < 2048) problem = `RSA key of ${bits} bits; at least 2048 are required`;
  else if (jwk.use !== undefined && jwk.use !== "sig") problem = `use ${String(jwk.use)}`;
  return { kid: String(jwk.kid ?? ""), kty: String(jwk.kty), alg: jwk.alg ?? null, use: jwk.use ?? null, crv: jwk.crv ?? null, bits, problem };
}

export class IssuerKeySource implements KeyResolver {
  private keys: JWK[] = [];
  private imported = new Map<string, Promise<Verifier>>();
  private lastFetch = -Infinity;
  private inflight: Promise<void> | undefined;
  private fetched = false;
  private lastError: string | undefined;
  /** Where the keys in hand came from and when (for messages that say what was fetched). */
  private lastSource: { uri: string; at: number } | undefined;
  private readonly cooldownMs: number;
  private readonly clock: () => number;

  constructor(
    readonly config: IssuerKeyConfig,
    private readonly options: KeySourceOptions,
  ) {
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
    if (config.jwks.type === "inline") {
      this.keys = config.jwks.keys as JWK[];
      this.fetched = true;
    }
  }

  private fetchJson(url: string): Promise<unknown> {
    const opts: SafeFetchOptions = {
      allowInsecureLocal: this.options.allowInsecureLocal,
      caCertPem: this.config.jwks.type === "inline" ? null : this.config.jwks.ca_cert_pem,
    };
    return (this.options.fetchJson ?? safeFetchJson)(url, opts);
  }

  /** Fetch the key set now (shared by concurrent callers). Rejects with the fetch error. */
  private fetchKeys(): Promise<void> {
    this.inflight ??= (async () => {
      this.lastFetch = this.clock();
      try {
        const uri = await resolveJwksUri(this.config, (u) => this.fetchJson(u).catch((err) => rethrowNaming(err, `the discovery document ${u}`)));
        const set = (await this.fetchJson(uri).catch((err) => rethrowNaming(err, `the key set ${uri}`))) as { keys?: unknown } | null;
        if (!set || !Array.isArray(set.keys)) throw new FetchRefused("not_json", `the JWKS document ${uri} has no keys array`);
        this.keys = set.keys.filter((k): k is JWK => k !== null && typeof k === "object");
        this.imported.clear();
        this.fetched = true;
        this.lastSource = { uri, at: this.clock() };
        this.lastError = undefined;
        this.options.onFetch?.(this.config.id, undefined);
      } catch (err) {
        this.lastError = (err as Error).message;
        this.options.onFetch?.(this.config.id, err as Error);
        throw err;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  async getKey(kid: string, alg: string): Promise<Verifier> {
    if (this.config.jwks.type !== "inline") {
      const known = this.keys.some((k) => k.kid === kid);
      // Failed fetches are rate-limited too, so a dead key endpoint is not hammered.
      const mayFetch = this.clock() - this.lastFetch >= this.cooldownMs;
      if (!known && (mayFetch || this.inflight)) {
        // A failure is kept in lastError (fetchKeys) and reported below if nothing was ever fetched.
        await (this.inflight ?? this.fetchKeys()).catch(() => undefined);
      }
      // Keep serving what we have; with nothing fetched yet the issuer is unusable for now.
      if (!this.fetched) throw new ExchangeDenied("jwks_unavailable", `keys of ${this.config.issuer_url} could not be fetched: ${this.lastError ?? "not fetched yet"}`);
    }
    const jwk = this.keys.find((k) => k.kid === kid);
    if (!jwk) throw new ExchangeDenied("unknown_kid", `no key with kid ${JSON.stringify(kid.slice(0, 80))} among the issuer's ${this.keys.length} key(s)${this.describeSource()}`);
    const cacheKey = `${kid}\u0000${alg}`;
    let imported = this.imported.get(cacheKey);
    if (!imported) {
      imported = importVerifier(jwk, alg);
      this.imported.set(cacheKey, imported);
    }
    return imported;
  }

  /** Refetch now (background poller); inline keys report their count without fetching. */
  async refresh(): Promise<RefreshOutcome> {
    if (this.config.jwks.type === "inline") return { ok: true, keyCount: this.keys.length };
    try {
      await this.fetchKeys();
      return { ok: true, keyCount: this.keys.length };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }

  /** ` (kids "a", "b"; fetched from URI at TIME)`: what the server holds, so an unknown kid can be compared. */
  private describeSource(): string {
    const kids = this.keys.slice(0, 5).map((k) => JSON.stringify(String(k.kid ?? "").slice(0, 40)));
    const more = this.keys.length > 5 ? ", …" : "";
    const from = this.config.jwks.type === "inline" ? "pasted into the issuer" : this.lastSource ? `fetched from ${this.lastSource.uri} at ${new Date(this.lastSource.at).toISOString()}` : "";
    const parts = [kids.length ? `kids ${kids.join(", ")}${more}` : "", from].filter(Boolean);
    return parts.length ? ` (${parts.join("; ")})` : "";
  }

  /** The keys as last fetched, described for the console. */
  describeKeys(): KeyDescription[] {
    return this.keys.map(describe);
  }

  get hasFetched(): boolean {
    return this.fetched;
  }

  /** Why the last fetch failed, while no later one succeeded. */
  get fetchError(): string | undefined {
    return this.lastError;
  }
}

/** A fetch failure, its message now naming what was being fetched (the code stays the guard's). */
function rethrowNaming(err: unknown, what: string): never {
  if (err instanceof FetchRefused) throw new FetchRefused(err.code, `fetching ${what}: ${err.message}`);
  throw err;
}

/** Import a JWK for `alg`, refusing anything the header's algorithm cannot use. */
async function importVerifier(jwk: JWK, alg: string): Promise<Verifier> {
  const problem = describe(jwk).problem;
  if (problem) throw new ExchangeDenied("signature_invalid", `key ${JSON.stringify(jwk.kid)} is unusable: ${problem}`);
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new ExchangeDenied("signature_invalid", `key ${JSON.stringify(jwk.kid)} is for ${jwk.alg}, the token says ${alg}`);
  const family = alg.slice(0, 2);
  if ((family === "ES") !== (jwk.kty === "EC")) throw new ExchangeDenied("signature_invalid", `key ${JSON.stringify(jwk.kid)} is ${jwk.kty}, which cannot verify ${alg}`);
  try {
    const key = await importJWK({ ...jwk, ext: true }, alg);
    if (key instanceof Uint8Array) throw new Error("symmetric key");
    // Converted once: the token path verifies synchronously with node:crypto (core/verify-signature.ts).
    return KeyObject.from(key);
  } catch (err) {
    // jose throws a plain TypeError for small RSA keys and malformed members: map them all.
    throw new ExchangeDenied("signature_invalid", `key ${JSON.stringify(jwk.kid)} cannot be imported for ${alg}: ${(err as Error).message}`);
  }
}

/** One key source per issuer, rebuilt when the issuer's URL or key configuration changes. */
export class KeySourceRegistry {
  private sources = new Map<string, { fingerprint: string; source: IssuerKeySource }>();

  constructor(private readonly options: KeySourceOptions) {}

  /** The key source of an issuer, if one was made (by an exchange, the poller or readiness). */
  peek(issuerId: string): IssuerKeySource | undefined {
    return this.sources.get(issuerId)?.source;
  }

  get(issuer: IssuerKeyConfig): IssuerKeySource {
    const fingerprint = JSON.stringify([issuer.issuer_url, issuer.jwks]);
    const existing = this.sources.get(issuer.id);
    if (existing && existing.fingerprint === fingerprint) return existing.source;
    const source = new IssuerKeySource(issuer, this.options);
    this.sources.set(issuer.id, { fingerprint, source });
    return source;
  }
}

