/**
 * A minimal OIDC provider for attack tests: discovery, a JWKS and a token endpoint that
 * answers every code with the ID token the test chooses (signed with jose, or with a key the
 * JWKS does not list). The real provider for journeys is e2e/support/oidc-provider.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";

export interface JoseIssuer {
  issuer: string;
  /** The ID token the next code redemption returns; `nonce` is the one the client sent. */
  answerWith(make: (ctx: { issuer: string; nonce: string }) => Promise<string>): void;
  /** Sign claims with the listed key (or the unlisted one). */
  sign(claims: JWTPayload, opts?: { unlistedKey?: boolean }): Promise<string>;
  /** The nonce seen in the last authorization URL (the test hands it over). */
  nonce: string;
  /** TCP connections accepted so far, whatever came over them. */
  connections(): number;
  close(): Promise<void>;
}

export async function startJoseIssuer(): Promise<JoseIssuer> {
  const listed = await generateKeyPair("RS256");
  const unlisted = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(listed.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  let make: (ctx: { issuer: string; nonce: string }) => Promise<string> = async () => "";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return json({ keys: [jwk] });
    if (url.pathname === "/token" && req.method === "POST") {
      req.resume();
      req.on("end", () => {
        void make({ issuer, nonce: self.nonce }).then((id_token) => json({ access_token: "at", token_type: "Bearer", expires_in: 60, id_token }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const self: JoseIssuer = {
    issuer,
    nonce: "",
    connections: () => connections,
    answerWith(fn) {
      make = fn;
    },
    async sign(claims, opts = {}) {
      const key = opts.unlistedKey ? unlisted.privateKey : listed.privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(key);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return self;
}
