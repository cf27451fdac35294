/**
 * The bench's reference point: bare node:http + jose doing the same verification and
 * minting as the token endpoint, with no framework, database or history. Prints its URL.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { importJWK, jwtVerify, type JWK } from "jose";

const jwk = JSON.parse(process.argv[2]!) as JWK;
const issuer = process.argv[3]!;
const key = await importJWK(jwk, "ES256");

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { assertion: string };
        await jwtVerify(body.assertion, key, { algorithms: ["ES256"], issuer, audience: "https://api.anthropic.com", requiredClaims: ["sub", "iat", "exp"], clockTolerance: 30 });
        const token = `sk-ant-oat01-${randomBytes(32).toString("base64url")}`;
        createHash("sha256").update(token).digest("hex");
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: 600, scope: "workspace:developer" }));
      } catch {
        res.writeHead(401, { "content-type": "application/json" }).end('{"type":"error"}');
      }
    })();
  });
});
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
// Exit cleanly on a signal so `--cpu-prof` can write its profile.
process.on("SIGINT", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
