/**
 * The bench's reference points: bare node:http + jose doing the same verification and
 * minting as the token endpoint, with no framework or history. Prints its URL.
 *
 * Given a migrated SQLite file (third argument), it also writes what a grant writes — the
 * consumed jti, the token's hash and the history row, into the same tables with the same
 * indexes — group-committed per event-loop turn (WAL, synchronous=NORMAL) before the reply:
 * the least a server that keeps our durability promise can do, to tell the cost of the
 * write itself from the cost of everything else on our path.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import SQLite from "better-sqlite3";
import { importJWK, jwtVerify, type JWK } from "jose";

const jwk = JSON.parse(process.argv[2]!) as JWK;
const issuer = process.argv[3]!;
const file = process.argv[4];
const key = await importJWK(jwk, "ES256");

/** Commits the rows of the grants decided during one turn, together; undefined without a file. */
const store = file ? openStore(file) : undefined;

function openStore(path: string) {
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const jti = db.prepare("insert into used_jtis (issuer_id, jti, expires_at) values (?, ?, ?) on conflict (issuer_id, jti) do nothing");
  const token = db.prepare(
    "insert into access_tokens (id, token_hash, organization_id, federation_rule_id, service_account_id, workspace_id, scope, subject, request_id, created_at, expires_at) values (?, ?, 'org', 'rule', 'sa', 'ws', 'workspace:developer', ?, ?, ?, ?)",
  );
  const history = db.prepare(
    "insert into auth_events (id, organization_id, occurred_at, request_id, outcome, reason, detail, federation_rule_id, issuer_id, service_account_id, workspace_id, subject, claims, claims_verified, access_token_id, client_ip) values (?, 'org', ?, ?, 'granted', null, '', 'rule', 'issuer', 'sa', 'ws', ?, ?, 1, ?, '127.0.0.1')",
  );
  type Grant = { jti: string; tokenHash: string; subject: string; claims: string; expiresAt: string; done(ok: boolean): void };
  let queue: Grant[] = [];
  const commit = db.transaction((batch: Grant[]) =>
    batch.map((g) => {
      if (jti.run("issuer", g.jti, g.expiresAt).changes === 0) return false;
      const now = new Date().toISOString();
      const requestId = randomUUID();
      const tokenId = randomUUID();
      token.run(tokenId, g.tokenHash, g.subject, requestId, now, g.expiresAt);
      history.run(randomUUID(), now, requestId, g.subject, g.claims, tokenId);
      return true;
    }),
  );
  const flush = () => {
    const batch = queue;
    queue = [];
    commit(batch).forEach((ok, i) => batch[i]!.done(ok));
  };
  return (grant: Omit<Grant, "done">) =>
    new Promise<boolean>((resolve) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ ...grant, done: resolve });
    });
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { assertion: string };
        const { payload } = await jwtVerify(body.assertion, key, { algorithms: ["ES256"], issuer, audience: "https://api.anthropic.com", requiredClaims: ["sub", "iat", "exp"], clockTolerance: 30 });
        const token = `sk-ant-oat01-${randomBytes(32).toString("base64url")}`;
        const tokenHash = createHash("sha256").update(token).digest("hex");
        if (store) {
          const expiresAt = new Date((payload.exp! + 30) * 1000).toISOString();
          const stored = await store({ jti: String(payload.jti), tokenHash, subject: payload.sub!, claims: JSON.stringify(payload), expiresAt });
          if (!stored) throw new Error("jti reused");
        }
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
