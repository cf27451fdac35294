/**
 * The process's one logger and the request each line belongs to. Every module logs through
 * `logger()`; a line written while a request is being handled carries its `request_id` (the
 * same ID as its `request-id` header and its history or audit row), found through the
 * request context that lib/server/serve.ts opens for every request. Both live on globalThis,
 * because Next bundles its own copy of this module for the console's code.
 * @see docs/operating.md#logs
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger, type LoggerOptions } from "pino";

/** What the access-log line of a request says beyond method, status and duration. */
export interface RequestContext {
  /** `req_…`: the `request-id` header, and the history, audit and gateway rows' `request_id`. */
  readonly id: string;
  /** The route pattern (`/v1/organizations/federation_rules/:rule_id`), never the raw path. */
  route?: string;
  /** Who called: `access_token`, `api_key`, `admin_key`, `user`, `assertion`…, and its ID — never the secret. */
  credentialKind?: string;
  credentialId?: string | null;
  /** Further non-secret facts for the access line (an exchange's outcome and reason, a gateway request's model). */
  fields?: Record<string, string | number | boolean | null>;
  /**
   * The access line waits for this when set: a handler whose facts come after its response
   * has gone (the gateway learns the model and usage as the stream ends).
   */
  until?: Promise<unknown>;
}

/**
 * Known places a secret could sit in a logged object: a second line of defence; the first is
 * that no code logs a request body, header or credential.
 */
export const REDACTED_PATHS = [
  "password",
  "assertion",
  "access_token",
  "api_key",
  "key",
  "token",
  "secret",
  "authorization",
  "cookie",
  "headers.authorization",
  "headers.cookie",
  'headers["x-api-key"]',
  "*.password",
  "*.assertion",
  "*.access_token",
  "*.api_key",
  "*.token",
  "*.secret",
  "*.authorization",
  "*.cookie",
  '*.headers["x-api-key"]',
];

/** Options every logger of this process shares: level, redaction, the request ID of the current request. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    mixin: () => {
      const context = holder().requests.getStore();
      return context ? { request_id: context.id } : {};
    },
  };
}

const HOLDER = Symbol.for("wif-console.observability");
interface Holder {
  logger: Logger;
  requests: AsyncLocalStorage<RequestContext>;
}

function holder(): Holder {
  const global = globalThis as { [HOLDER]?: Holder };
  // Until the server installs the configured one (lib/observability/install-logger.ts): JSON at info.
  global[HOLDER] ??= { logger: pino(loggerOptions("info")), requests: new AsyncLocalStorage() };
  return global[HOLDER];
}

/** The process's logger (read at each use: the server installs the configured one at start). */
export const logger = (): Logger => holder().logger;

const accessLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger of access lines: the process's logger without redaction. An access line is built
 * from named fields (method, route, status, IDs, outcome) and never carries a body, a header
 * or a credential, so redaction would only cost time — with the wildcard paths above it tripled
 * the cost of each line, ~30 µs of the event loop per token exchange (measured: 40–45 µs a line
 * redacted, 11–12 not). lib/server/log-secrets.test.ts searches a whole journey's output for
 * secrets.
 */
export function accessLogger(): Logger {
  const base = logger();
  let access = accessLoggers.get(base);
  if (!access) accessLoggers.set(base, (access = base.child({}, { redact: { paths: [] } })));
  return access;
}

/** Replace the process's logger (the server entry point, and tests that capture the lines). */
export function setLogger(next: Logger): void {
  holder().logger = next;
}

/** Run `fn` as the handling of one request: lines it causes carry `context.id`. */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return holder().requests.run(context, fn);
}

/** The request being handled, if any. */
export const currentRequest = (): RequestContext | undefined => holder().requests.getStore();

/** Add what a handler learned (route, credential, outcome) to the current request's access line. */
export function annotateRequest(facts: Omit<RequestContext, "id" | "fields" | "until"> & { fields?: RequestContext["fields"] }): void {
  const context = currentRequest();
  if (!context) return;
  if (facts.route !== undefined) context.route = facts.route;
  if (facts.credentialKind !== undefined) context.credentialKind = facts.credentialKind;
  if (facts.credentialId !== undefined) context.credentialId = facts.credentialId;
  if (facts.fields) context.fields = { ...context.fields, ...facts.fields };
}

/**
 * An error that is none of ours (a bug or an outage), once, with its stack: the stack names
 * where it failed; request bodies, tokens and keys are never part of it.
 */
export function reportInternalError(err: unknown, requestId: string): void {
  logger().error({ request_id: requestId, err: err instanceof Error ? err : { message: "non-Error value thrown" } }, "internal error");
}
