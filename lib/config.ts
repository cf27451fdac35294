/**
 * Configuration, read once from the environment and validated. Nothing else in the
 * project reads `process.env`; everything takes a `Config` (or a part of it).
 * One file though over 400 lines: that rule is only checkable while every variable, its check
 * and its message live in this one module.
 */
import { isIP } from "node:net";
import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { upstreamUrlProblem, normalizeUpstreamUrl } from "./core/upstream-url";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** A 32-byte key as 64 hex characters or base64/base64url (43–44 characters). */
const secretKey = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const bytes = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64url");
    if (bytes.length !== 32 || (!/^[0-9a-f]{64}$/i.test(v) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(v))) {
      ctx.addIssue({ code: "custom", message: "must be 32 bytes as 64 hex characters or base64 (openssl rand -base64 32)" });
      return z.NEVER;
    }
    return bytes;
  });

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** A proxy URL, or empty (unset, as curl reads it). */
const proxyUrl = z
  .string()
  .trim()
  .refine((v) => v === "" || /^https?:\/\/[^/]/.test(v) && URL.canParse(v), "must be a proxy URL such as http://proxy.internal:3128")
  .optional();

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default("file:./data/wif.db")
    .refine((v) => /^(postgres|postgresql):\/\//.test(v) || v.startsWith("file:"), {
      message: "DATABASE_URL: must be a postgres:// URL or file:PATH for SQLite",
    }),
  /** The base URL clients use to reach this server (snippets, demo issuer, discovery). */
  WIF_PUBLIC_URL: z.string().url().optional(),
  /** Audience a rule without `match.audience` expects; the hosted platform's value by default. */
  WIF_DEFAULT_AUDIENCE: z.string().min(1).default("https://api.anthropic.com"),
  /**
   * Development only: lets issuers use plain http and loopback/private addresses for key
   * fetches (the built-in demo issuer, local tests). Never enable on a reachable server.
   */
  WIF_ALLOW_INSECURE_ISSUERS: booleanFlag,
  /** Start the built-in demo issuer (mints sample tokens; see README). */
  WIF_DEMO: booleanFlag,
  /** Seconds between background JWKS polls of each remote issuer. */
  WIF_JWKS_POLL_SECONDS: z.coerce.number().int().min(5).max(86400).default(300),
  /** Consecutive failed polls after which polling pauses itself. */
  WIF_JWKS_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  /** First start only: also write the one-time console setup code to this file (automation, e2e tests). */
  WIF_SETUP_CODE_FILE: z.string().min(1).optional(),
  /**
   * Reverse proxies whose `X-Forwarded-For`, `-Proto` and `-Host` are believed: comma-separated
   * CIDRs (IPv4 and IPv6). None by default, so the TCP peer is the client (lib/services/forwarded.ts).
   */
  WIF_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const ranges: TrustedProxyRange[] = [];
      for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
        const parsed = parseCidr(entry);
        if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
        else ranges.push(parsed);
      }
      return ranges;
    }),
  /**
   * `Strict-Transport-Security` max-age, in seconds, on responses to requests that came over
   * https; 0 sends no header. One year by default (what HSTS preload lists ask for).
   */
  WIF_HSTS_MAX_AGE: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(31_536_000),
  /**
   * Console single sign-on providers for automated deployments: a JSON array of
   * `{ id, name, issuer_url, client_id, client_secret?, scopes?, allowed_domains?, role_mappings? }`
   * (checked in full at start by lib/services/sso-providers.ts). @see docs/security.md#console-single-sign-on
   */
  WIF_SSO_PROVIDERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return [];
      try {
        const value: unknown = JSON.parse(v);
        if (Array.isArray(value) && value.every((p) => p !== null && typeof p === "object" && !Array.isArray(p))) return value as Record<string, unknown>[];
      } catch {
        // reported below
      }
      ctx.addIssue({ code: "custom", message: "must be a JSON array of provider objects" });
      return z.NEVER;
    }),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /**
   * The outbound proxy for key fetches (discovery documents, JWKS), as curl and undici read it:
   * the lowercase spelling wins. @see docs/security.md#fetching-issuer-keys
   */
  https_proxy: proxyUrl,
  HTTPS_PROXY: proxyUrl,
  http_proxy: proxyUrl,
  HTTP_PROXY: proxyUrl,
  no_proxy: z.string().optional(),
  NO_PROXY: z.string().optional(),
  ...gatewayEnv(),
  ...operationsEnv(),
  ...retentionEnv(),
});

/** How long rows are kept, in days (0: forever), and how often the background pruner runs. @see docs/behaviour.md#retention */
function retentionEnv() {
  const days = (fallback: number) => z.coerce.number().int().min(0).max(36_500).default(fallback);
  return {
    /** Authentication history (every exchange, granted or denied). */
    WIF_RETENTION_HISTORY_DAYS: days(90),
    /** The gateway's one row per forwarded request. */
    WIF_RETENTION_GATEWAY_DAYS: days(30),
    /** Configuration audit (who changed what). */
    WIF_RETENTION_AUDIT_DAYS: days(365),
    /** Seconds between pruning passes (each also removes consumed `jti`s and access tokens past their expiry). */
    WIF_PRUNE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  };
}

/** One network whose forwarded headers are believed (`WIF_TRUSTED_PROXIES`). */
export interface TrustedProxyRange {
  /** The network address, as written (host bits all zero). */
  address: string;
  /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** The Claude API gateway's variables. @see docs/gateway.md */
function gatewayEnv() {
  const ms = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
  return {
    /** The organization's default upstream: https, http to loopback only, or `demo` (the built-in offline one). */
    WIF_UPSTREAM_URL: z
      .string()
      .trim()
      .min(1)
      .optional()
      .superRefine((v, ctx) => {
        const problem = v === undefined ? undefined : upstreamUrlProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    /** The organization's default upstream API key; stored encrypted at start, never logged. */
    WIF_UPSTREAM_API_KEY: z.string().trim().min(1).optional(),
    /** Encrypts upstream keys at rest; without it a key file is generated beside the database. */
    WIF_SECRET_KEY: secretKey.optional(),
    /** Keys of before a rotation, comma-separated: still read, re-encrypted with WIF_SECRET_KEY at start. */
    WIF_SECRET_KEY_PREVIOUS: z
      .string()
      .optional()
      .transform((v, ctx) =>
        (v ?? "")
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean)
          .map((part) => {
            const parsed = secretKey.safeParse(part);
            if (!parsed.success) ctx.addIssue({ code: "custom", message: "each key must be 32 bytes as 64 hex characters or base64" });
            return parsed.success ? parsed.data : Buffer.alloc(0);
          }),
      ),
    WIF_SECRET_KEY_FILE: z.string().min(1).optional(),
    WIF_UPSTREAM_CONNECT_TIMEOUT_MS: ms(100, 120_000, 10_000),
    /** Until the upstream's response headers arrive (a long non-streamed reply takes minutes). */
    WIF_UPSTREAM_HEADERS_TIMEOUT_MS: ms(100, 3_600_000, 600_000),
    /** Longest silence between two chunks of a reply (a stream pings every few seconds). */
    WIF_UPSTREAM_BODY_TIMEOUT_MS: ms(100, 3_600_000, 300_000),
    /** Keep-alive connections to the upstream, per origin. */
    WIF_UPSTREAM_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(256),
    /** The older name of WIF_DRAIN_TIMEOUT_MS, in seconds; still read when that one is unset. */
    WIF_GATEWAY_SHUTDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
  };
}

/** Logs, metrics and shutdown. @see docs/operating.md */
function operationsEnv() {
  return {
    /** info by default; warn under NODE_ENV=test, so test runs print failures, not every request. */
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
    /** The bearer token a Prometheus scrape of `/metrics` must send (at least 16 characters). */
    WIF_METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters (openssl rand -hex 24)").optional(),
    /** A second listener, `HOST:PORT`, that serves only `/metrics` (keep it on a private network). */
    WIF_METRICS_LISTEN: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === "") return undefined;
        const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(v);
        const host = m?.[1] ?? m?.[2];
        const port = Number(m?.[3]);
        if (!host || !(port >= 0 && port <= 65535)) {
          ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)} is not HOST:PORT; write e.g. 127.0.0.1:9464 or [::1]:9464` });
          return z.NEVER;
        }
        return { host, port };
      }),
    /** On SIGTERM, how long requests under way (gateway streams included) may take before they are cut. */
    WIF_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  };
}

export interface Config {
  port: number;
  host: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  publicUrl: string | undefined;
  defaultAudience: string;
  allowInsecureIssuers: boolean;
  demo: boolean;
  jwksPollSeconds: number;
  jwksMaxFailures: number;
  /** Where to write the first-run setup code as well as printing it, when set. */
  setupCodeFile?: string;
  /** Networks of the reverse proxies in front of this server; empty: believe no forwarded header. */
  trustedProxies: readonly TrustedProxyRange[];
  /** HSTS max-age for https responses; 0 disables the header. */
  hstsMaxAgeSeconds: number;
  dev: boolean;
  /** WIF_SSO_PROVIDERS, shape-checked at start (lib/services/sso-providers.ts). */
  ssoProviders: readonly Record<string, unknown>[];
  gateway: GatewayConfig;
  secrets: SecretsConfig;
  logging: LoggingConfig;
  metrics: MetricsConfig;
  /** On shutdown, how long requests under way (streams included) may take to finish before they are cut. */
  drainTimeoutMs: number;
  retention: RetentionConfig;
  /** Where key fetches go out; undefined: straight to the issuer. */
  outboundProxy: OutboundProxyConfig | undefined;
}

/** @see docs/operating.md#logs */
export interface LoggingConfig {
  level: LogLevel;
  /** pino-pretty's readable lines (NODE_ENV=development) instead of JSON. */
  pretty: boolean;
}

/**
 * Who may read `/metrics`. Neither set: nobody (the counters still run; `/metrics` answers 404
 * saying how to turn it on). @see docs/operating.md#metrics
 */
export interface MetricsConfig {
  /** WIF_METRICS_TOKEN: `/metrics` on the main port (and the metrics listener) asks for it as a bearer token. */
  token: string | undefined;
  /** WIF_METRICS_LISTEN: a second listener serving `/metrics` only. */
  listen: { host: string; port: number } | undefined;
}

/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, for undici's EnvHttpProxyAgent (lib/jwks/safe-fetch.ts). */
export interface OutboundProxyConfig {
  httpsProxy: string | undefined;
  httpProxy: string | undefined;
  /** Comma- or space-separated host names (and `host:port`, `.suffix`, `*`) that go direct. */
  noProxy: string;
}

/** What the background pruner keeps (lib/store/retention.ts). Windows in days; 0 keeps rows forever. */
export interface RetentionConfig {
  historyDays: number;
  gatewayRequestDays: number;
  auditDays: number;
  intervalMs: number;
}

/** The Claude API gateway. @see docs/gateway.md */
export interface GatewayConfig {
  /** WIF_UPSTREAM_URL, or `demo` in demo mode; undefined: https://api.anthropic.com unless the organization set another. */
  upstreamUrl: string | undefined;
  /** WIF_UPSTREAM_API_KEY: written (encrypted) as the organization's default key at start. */
  upstreamApiKey: string | undefined;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  connections: number;
}

/** Where the key that encrypts stored upstream keys comes from. */
export interface SecretsConfig {
  /** WIF_SECRET_KEY; when absent, `keyFile` is read (and generated on first start). */
  key: Buffer | undefined;
  previous: Buffer[];
  keyFile: string;
}

/** Parse a set of environment variables; throws one readable message listing every problem. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  const database = e.DATABASE_URL.startsWith("file:")
    ? ({ kind: "sqlite", file: path.resolve(cwd, e.DATABASE_URL.slice("file:".length)) } as const)
    : ({ kind: "postgres", url: e.DATABASE_URL } as const);
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    publicUrl: e.WIF_PUBLIC_URL?.replace(/\/+$/, ""),
    defaultAudience: e.WIF_DEFAULT_AUDIENCE,
    allowInsecureIssuers: e.WIF_ALLOW_INSECURE_ISSUERS || e.WIF_DEMO,
    demo: e.WIF_DEMO,
    jwksPollSeconds: e.WIF_JWKS_POLL_SECONDS,
    jwksMaxFailures: e.WIF_JWKS_MAX_FAILURES,
    ...(e.WIF_SETUP_CODE_FILE ? { setupCodeFile: path.resolve(cwd, e.WIF_SETUP_CODE_FILE) } : {}),
    trustedProxies: e.WIF_TRUSTED_PROXIES,
    hstsMaxAgeSeconds: e.WIF_HSTS_MAX_AGE,
    dev: e.NODE_ENV === "development",
    ssoProviders: e.WIF_SSO_PROVIDERS,
    gateway: {
      upstreamUrl: e.WIF_UPSTREAM_URL ? normalizeUpstreamUrl(e.WIF_UPSTREAM_URL) : e.WIF_DEMO ? "demo" : undefined,
      upstreamApiKey: e.WIF_UPSTREAM_API_KEY,
      connectTimeoutMs: e.WIF_UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.WIF_UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.WIF_UPSTREAM_BODY_TIMEOUT_MS,
      connections: e.WIF_UPSTREAM_CONNECTIONS,
    },
    secrets: {
      key: e.WIF_SECRET_KEY,
      previous: e.WIF_SECRET_KEY_PREVIOUS,
      // Beside the SQLite file; for PostgreSQL in ./data (several instances must share WIF_SECRET_KEY instead).
      keyFile: e.WIF_SECRET_KEY_FILE
        ? path.resolve(cwd, e.WIF_SECRET_KEY_FILE)
        : database.kind === "sqlite" && database.file !== ":memory:"
          ? path.join(path.dirname(database.file), "secret.key")
          : path.resolve(cwd, "data", "secret.key"),
    },
    logging: { level: e.LOG_LEVEL ?? (e.NODE_ENV === "test" ? "warn" : "info"), pretty: e.NODE_ENV === "development" },
    metrics: { token: e.WIF_METRICS_TOKEN, listen: e.WIF_METRICS_LISTEN },
    // 25 s: inside Kubernetes' default 30 s grace period, with time left to flush and close.
    drainTimeoutMs: e.WIF_DRAIN_TIMEOUT_MS ?? (e.WIF_GATEWAY_SHUTDOWN_SECONDS !== undefined ? e.WIF_GATEWAY_SHUTDOWN_SECONDS * 1000 : 25_000),
    outboundProxy: outboundProxy(e),
    retention: {
      historyDays: e.WIF_RETENTION_HISTORY_DAYS,
      gatewayRequestDays: e.WIF_RETENTION_GATEWAY_DAYS,
      auditDays: e.WIF_RETENTION_AUDIT_DAYS,
      intervalMs: e.WIF_PRUNE_INTERVAL_SECONDS * 1000,
    },
  };
}

function outboundProxy(e: z.infer<typeof EnvSchema>): OutboundProxyConfig | undefined {
  // An empty variable counts as unset, as in curl.
  const httpsProxy = e.https_proxy || e.HTTPS_PROXY || undefined;
  const httpProxy = e.http_proxy || e.HTTP_PROXY || undefined;
  if (!httpsProxy && !httpProxy) return undefined;
  return { httpsProxy, httpProxy, noProxy: e.no_proxy ?? e.NO_PROXY ?? "" };
}

/**
 * `10.0.0.0/8`, `fd00::/8`, or a single address (`/32` or `/128` implied): the range, or a
 * sentence saying what is wrong with it. Host bits must be zero — `10.0.0.1/8` is refused
 * rather than silently widened, since a typo here decides whose headers are believed.
 */
function parseCidr(text: string): TrustedProxyRange | string {
  const quoted = JSON.stringify(text);
  const [address = "", prefixText, ...rest] = text.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0 || address.includes("%")) {
    return `${quoted} is not an IPv4 or IPv6 network; write CIDRs such as 10.0.0.0/8 or fd00::/8, separated by commas`;
  }
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return `${quoted}: the prefix length after "/" must be a number from 0 to ${bits}`;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return `${quoted}: the prefix length must be at most ${bits} for an IPv${version} network`;
  const bytes = addressBytes(address);
  const network = bytes.map((byte, i) => byte & (0xff << Math.max(0, 8 - Math.max(0, prefix - 8 * i))) & 0xff);
  if (network.some((byte, i) => byte !== bytes[i])) {
    return `${quoted} has bits set after the first ${prefix}; write its network address, ${formatAddress(network)}/${prefix}`;
  }
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** The 4 or 16 bytes of an address `isIP` accepted (IPv6 may end in an IPv4 part: `::ffff:10.0.0.1`). */
function addressBytes(address: string): number[] {
  if (isIP(address) === 4) return address.split(".").map(Number);
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const groups = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const words = tail === undefined ? groups(head) : [...groups(head), ...new Array<number>(8 - groups(head).length - groups(tail).length).fill(0), ...groups(tail)];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function formatAddress(bytes: number[]): string {
  if (bytes.length === 4) return bytes.join(".");
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  // The URL parser writes IPv6 in its canonical, compressed form.
  return new URL(`http://[${words.join(":")}]/`).hostname.slice(1, -1);
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * The token helper's settings (`wif token`, run on a workload's machine): the same
 * `ANTHROPIC_*` federation variables the SDKs read, so one environment serves both.
 */
export interface TokenHelperConfig {
  /** Where to exchange: ANTHROPIC_BASE_URL (this server). */
  baseUrl: string;
  ruleId: string;
  organizationId: string;
  serviceAccountId: string | undefined;
  workspaceId: string | undefined;
  /** ANTHROPIC_IDENTITY_TOKEN_FILE, re-read on every exchange (platforms rotate it). */
  identityTokenFile: string | undefined;
  identityToken: string | undefined;
  /** The cached access token (mode 0600); one file per server, rule and target. */
  cacheFile: string;
}

const TokenHelperEnv = z
  .object({
    ANTHROPIC_BASE_URL: z.string().trim().url().default("https://api.anthropic.com"),
    ANTHROPIC_FEDERATION_RULE_ID: z.string().trim().min(1, "is required (the federation rule to exchange under)"),
    ANTHROPIC_ORGANIZATION_ID: z.string().trim().min(1, "is required"),
    ANTHROPIC_SERVICE_ACCOUNT_ID: z.string().trim().optional(),
    ANTHROPIC_WORKSPACE_ID: z.string().trim().optional(),
    ANTHROPIC_IDENTITY_TOKEN_FILE: z.string().trim().optional(),
    ANTHROPIC_IDENTITY_TOKEN: z.string().trim().optional(),
    WIF_TOKEN_CACHE_FILE: z.string().trim().min(1).optional(),
    XDG_CACHE_HOME: z.string().optional(),
    HOME: z.string().optional(),
  })
  .refine((e) => e.ANTHROPIC_IDENTITY_TOKEN_FILE || e.ANTHROPIC_IDENTITY_TOKEN, {
    path: ["ANTHROPIC_IDENTITY_TOKEN_FILE"],
    message: "is required (or ANTHROPIC_IDENTITY_TOKEN): the workload's identity token",
  });

export function parseTokenHelperConfig(env: Record<string, string | undefined>, cwd = process.cwd()): TokenHelperConfig {
  // The SDKs treat an empty variable as unset; so does the helper.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = TokenHelperEnv.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`wif token: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const baseUrl = e.ANTHROPIC_BASE_URL.replace(/\/+$/, "");
  const identity = [baseUrl, e.ANTHROPIC_FEDERATION_RULE_ID, e.ANTHROPIC_ORGANIZATION_ID, e.ANTHROPIC_SERVICE_ACCOUNT_ID ?? "", e.ANTHROPIC_WORKSPACE_ID ?? ""].join("\n");
  const cacheDir = e.XDG_CACHE_HOME ?? path.join(e.HOME ?? cwd, ".cache");
  return {
    baseUrl,
    ruleId: e.ANTHROPIC_FEDERATION_RULE_ID,
    organizationId: e.ANTHROPIC_ORGANIZATION_ID,
    serviceAccountId: e.ANTHROPIC_SERVICE_ACCOUNT_ID,
    workspaceId: e.ANTHROPIC_WORKSPACE_ID,
    identityTokenFile: e.ANTHROPIC_IDENTITY_TOKEN_FILE ? path.resolve(cwd, e.ANTHROPIC_IDENTITY_TOKEN_FILE) : undefined,
    identityToken: e.ANTHROPIC_IDENTITY_TOKEN,
    cacheFile: e.WIF_TOKEN_CACHE_FILE
      ? path.resolve(cwd, e.WIF_TOKEN_CACHE_FILE)
      : path.join(cacheDir, "wif", `token-${createHash("sha256").update(identity).digest("hex").slice(0, 16)}.json`),
  };
}

/** The token helper's settings from this process's environment. */
export function loadTokenHelperConfig(): TokenHelperConfig {
  return parseTokenHelperConfig(process.env);
}

/**
 * `wif config`'s connection to a running server (it works over the Admin API, not on the
 * database): WIF_URL and WIF_API_KEY, or the `--url` and `--api-key` flags, which win.
 */
export interface AdminClientConfig {
  /** The server's base URL, without a trailing slash. */
  url: string;
  /** An admin key (sk-ant-admin01-…) or another credential that may change configuration. */
  apiKey: string;
}

export function parseAdminClientConfig(env: Record<string, string | undefined>, flags: { url?: string | undefined; apiKey?: string | undefined } = {}): AdminClientConfig {
  const url = (flags.url ?? env.WIF_URL ?? "http://localhost:3000").trim().replace(/\/+$/, "");
  const apiKey = (flags.apiKey ?? env.WIF_API_KEY ?? "").trim();
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new Error(`WIF_URL (--url): ${JSON.stringify(url)} is not an http(s) URL such as https://wif.example.com`);
  if (!apiKey) throw new Error("WIF_API_KEY (--api-key) is required: an admin key, e.g. from npm run wif -- admin-keys create --name ci");
  return { url, apiKey };
}

/** `wif config`'s connection from this process's environment and the command's flags. */
export function loadAdminClientConfig(flags: { url?: string | undefined; apiKey?: string | undefined }): AdminClientConfig {
  return parseAdminClientConfig(process.env, flags);
}
