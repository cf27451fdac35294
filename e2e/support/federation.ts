/**
 * Test federation on a running test server: an issuer with an inline ES256 key, and rules for
 * service accounts with the scopes a test needs; identity tokens signed here and exchanged at
 * the server's real token endpoint.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type { TestServer } from "./test-server";

const TEST_ISSUER = "https://ci.gateway.test";

export interface FederatedIdentity {
  ruleId: string;
  serviceAccountId: string;
  subject: string;
  /** A fresh identity token (unique jti) for this rule's subject. */
  identityToken(): Promise<string>;
  /** Exchange a fresh identity token: the access token and the exchange's request-id. */
  exchange(): Promise<{ accessToken: string; requestId: string }>;
}

export interface Federation {
  issuerId: string;
  identity(name: string, scope: string, options?: { role?: "admin" | "developer" }): Promise<FederatedIdentity>;
}

export async function setUpFederation(server: Pick<TestServer, "admin" | "url" | "organizationId">): Promise<Federation> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "gw-1", alg: "ES256" };
  const issuer = await server.admin("POST", "/federation_issuers", { name: "gateway-ci", issuer_url: TEST_ISSUER, jwks: { type: "inline", keys: [jwk] } });
  return {
    issuerId: issuer.id,
    async identity(name, scope, options = {}) {
      const sa = await server.admin("POST", "/service_accounts", { name, organization_role: options.role ?? "developer" });
      const subject = `repo:acme/${name}:ref:refs/heads/main`;
      const rule = await server.admin("POST", "/federation_rules", {
        name,
        issuer_id: issuer.id,
        match: { subject_prefix: subject },
        target: { type: "service_account", service_account_id: sa.id },
        oauth_scope: scope,
        workspace_id: "default",
      });
      const identityToken = async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ iss: TEST_ISSUER, sub: subject, aud: "https://api.anthropic.com", iat: now, exp: now + 600, jti: crypto.randomUUID() })
          .setProtectedHeader({ alg: "ES256", kid: "gw-1" })
          .sign(privateKey);
      };
      return {
        ruleId: rule.id,
        serviceAccountId: sa.id,
        subject,
        identityToken,
        async exchange() {
          const res = await fetch(`${server.url}/v1/oauth/token`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: await identityToken(), federation_rule_id: rule.id, organization_id: server.organizationId }),
          });
          const body = (await res.json()) as { access_token?: string };
          if (!res.ok || !body.access_token) throw new Error(`exchange for ${name}: ${res.status} ${JSON.stringify(body)}`);
          return { accessToken: body.access_token, requestId: res.headers.get("request-id")! };
        },
      };
    },
  };
}
