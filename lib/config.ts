/**
 * Configuration, read once from the environment and validated. Nothing else in the
 * project reads `process.env`; everything takes a `Config` (or a part of it).
 */
import path from "node:path";
import { z } from "zod";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

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
   * `Strict-Transport-Security` max-age, in seconds, on responses to requests that came over
   * https; 0 sends no header. One year by default (what HSTS preload lists ask for).
   */
  WIF_HSTS_MAX_AGE: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(31_536_000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

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
  /** HSTS max-age for https responses; 0 disables the header. */
  hstsMaxAgeSeconds: number;
  dev: boolean;
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
    hstsMaxAgeSeconds: e.WIF_HSTS_MAX_AGE,
    dev: e.NODE_ENV === "development",
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
