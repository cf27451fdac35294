/**
 * The real server, API only (no console build needed), as its own process: configured from
 * the environment like `npm start`, draining on SIGTERM/SIGINT the same way (lib/server/shutdown.ts).
 * For tests that signal or read the output of a real server process (e2e/support/server-process.ts).
 */
import "../../lib/server/register-server-only";

const { loadConfig } = await import("../../lib/config");
const { serve } = await import("../../lib/server/serve");
const { drainOnSignals } = await import("../../lib/server/shutdown");
const { logger } = await import("../../lib/observability/log");

const server = await serve({ config: loadConfig(), console: false });
logger().info({ url: server.url, metrics_url: server.metricsUrl }, `WIF Console listening on ${server.url}`);
drainOnSignals(server);
