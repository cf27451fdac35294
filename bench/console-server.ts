/**
 * The sign-in flood bench's server: the real server with its console on DATABASE_URL
 * (argv[2]), trusting the proxies in argv[3] (`WIF_TRUSTED_PROXIES`). Prints its URL.
 */
import "../lib/server/register-server-only";

const { parseConfig } = await import("../lib/config");
const { serve } = await import("../lib/server/serve");
const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: process.argv[2]!, WIF_TRUSTED_PROXIES: process.argv[3] ?? "", NODE_ENV: "production" });
const server = await serve({ config, console: true });
console.log(server.url);
process.on("SIGINT", () => void server.close().then(() => process.exit(0)));
