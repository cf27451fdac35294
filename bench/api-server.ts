/** The bench's server under test: the real server (API only) on DATABASE_URL, forwarding to the upstream URL when given, with extra settings when given. Prints its URL. */
import "../lib/server/register-server-only";

const { parseConfig } = await import("../lib/config");
const { serve } = await import("../lib/server/serve");
// argv: DATABASE_URL, the upstream URL (or ""), and more settings as a JSON object.
const extra = process.argv[4] ? (JSON.parse(process.argv[4]) as Record<string, string>) : {};
const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: process.argv[2]!, NODE_ENV: "production", ...(process.argv[3] ? { WIF_UPSTREAM_URL: process.argv[3] } : {}), ...extra });
const server = await serve({ config, console: false });
console.log(server.url);
// Exit cleanly on a signal so `--cpu-prof` can write its profile.
process.on("SIGINT", () => void server.close().then(() => process.exit(0)));
