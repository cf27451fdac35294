/**
 * `npm start`: build the console when the sources are newer than the last build, then
 * serve console and API on PORT. `npm run dev` runs the same with Next in development mode.
 * SIGTERM or SIGINT drains (./shutdown.ts).
 */
import "./register-server-only";
import path from "node:path";
import { buildConsoleIfStale } from "./build-console";
import { logger } from "../observability/log";
import { installLogger, routeConsoleToLogger } from "../observability/install-logger";

const root = path.resolve(import.meta.dirname, "../..");
const { loadConfig } = await import("../config");

let config;
try {
  config = loadConfig();
} catch (err) {
  logger().fatal((err as Error).message);
  logger().flush();
  process.exit(1);
}
await installLogger(config.logging);
// Next and libraries print with console.*: in production those become JSON lines as well.
if (!config.dev) routeConsoleToLogger();

if (!config.dev) {
  try {
    buildConsoleIfStale(root);
  } catch (err) {
    logger().fatal({ err }, "building the console failed");
    logger().flush();
    process.exit(1);
  }
}

if (!config.dev) {
  // tsx turns on Node's source-map support for the whole process, so Node keeps the parsed
  // map of every module it loads — Next's server chunks included — and Next's error printer
  // then builds a SourceMapConsumer per chunk map that stays for the life of the process:
  // ~80 MiB of heap (300k `Mapping` objects) after a burst of requests that Next logged as
  // errors, never given back. Production stack traces point into the built files instead.
  process.setSourceMapsEnabled(false);
}

const { serve } = await import("./serve");
const server = await serve({ config, console: true, dir: root });
logger().info({ url: server.url, metrics_url: server.metricsUrl, database: config.database.kind === "sqlite" ? config.database.file : "PostgreSQL" }, `WIF Console listening on ${server.url}`);

if (config.demo) {
  const { seedDemo } = await import("./demo-seed");
  const { issuerUrl } = await seedDemo(server.runtime.store.db, server.runtime.organizationId, server.runtime.publicUrl, config);
  logger().info({ issuer_url: issuerUrl }, `Demo mode: the built-in demo issuer is ${issuerUrl}; sample rule "demo-github-main" is ready.`);
}

const { announceFirstRun } = await import("./first-run");
await announceFirstRun(server);

const { drainOnSignals } = await import("./shutdown");
drainOnSignals(server);
