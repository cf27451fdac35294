/**
 * The gateway bench's reference point: a bare node:http + undici proxy doing the least a
 * credential-swapping proxy can — replace the client's credential with the upstream key and
 * stream the reply back — with no authentication, scope check, limits or audit. Prints its URL.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream";
import { Agent } from "undici";

const upstream = new URL(process.argv[2]!);
const upstreamKey = process.argv[3]!;
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

const server = http.createServer((req, res) => {
  const headers: Record<string, string> = { "x-api-key": upstreamKey, "anthropic-version": "2023-06-01" };
  if (req.headers["content-type"]) headers["content-type"] = req.headers["content-type"];
  if (req.headers["content-length"]) headers["content-length"] = req.headers["content-length"];
  agent
    .request({ origin: upstream.origin, path: req.url!, method: req.method as "POST", headers, body: req.headers["content-length"] ? req : null })
    .then(({ statusCode, headers: upstreamHeaders, body }) => {
      delete upstreamHeaders.connection;
      delete upstreamHeaders["keep-alive"];
      delete upstreamHeaders["transfer-encoding"];
      res.writeHead(statusCode, upstreamHeaders as http.OutgoingHttpHeaders);
      pipeline(body, res, () => {});
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
});
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on("SIGINT", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
