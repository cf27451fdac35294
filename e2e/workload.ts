/**
 * A workload for the specs that exchange tokens over HTTP (history, damaged history, the
 * gateway): an ES256 key generated here, an admin key made in the console, and through the
 * Admin API an issuer holding the public key, a service account and a rule admitting `subject`.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { createAdminKeyInConsole, postAdmin } from "./helpers";
import { ruleInput } from "./support/rule-input";

const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const AUDIENCE = "https://api.anthropic.com";

export interface Workload {
  /** `https://NAME.example.test`: no request goes there, the keys are inline. */
  issuerUrl: string;
  organizationId: string;
  ids: { issuer: string; account: string; rule: string };
  /** An identity token from the issuer for `subject` with a fresh jti; `claims` add or replace, `key` signs instead of the issuer's. */
  sign(claims?: Record<string, unknown>, key?: CryptoKey): Promise<string>;
  /** POST /v1/oauth/token as the workload would, expecting `status`: the request ID the history keys on, and the access token when granted. */
  exchange(request: APIRequestContext, assertion: string, status: number): Promise<{ requestId: string; accessToken?: string }>;
}

/** `rule`: fields of the rule's create input to replace (ruleInput's defaults: workspace:developer, the default workspace). */
export async function setUpWorkload(page: Page, request: APIRequestContext, { name, subject, rule = {} }: { name: string; subject: string; rule?: Record<string, unknown> }): Promise<Workload> {
  const issuerUrl = `https://${name}.example.test`;
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "e2e", alg: "ES256", use: "sig" };
  const { adminKey, organizationId } = await createAdminKeyInConsole(page, request, `${name}-key`);
  const admin = (path: string, data: unknown) => postAdmin(request, adminKey, path, data);
  const issuer = await admin("/federation_issuers", { name, issuer_url: issuerUrl, jwks: { type: "inline", keys: [jwk] } });
  const account = await admin("/service_accounts", { name });
  const ruleId = await admin("/federation_rules", ruleInput(name, issuer, account, subject, rule));

  return {
    issuerUrl,
    organizationId,
    ids: { issuer, account, rule: ruleId },
    sign(claims = {}, key: CryptoKey = privateKey) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuerUrl, sub: subject, aud: AUDIENCE, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims }).setProtectedHeader({ alg: "ES256", kid: "e2e" }).sign(key);
    },
    async exchange(request, assertion, status) {
      const res = await request.post("/v1/oauth/token", { data: { grant_type: GRANT, assertion, federation_rule_id: ruleId, organization_id: organizationId } });
      expect(res.status()).toBe(status);
      const body = (await res.json()) as { access_token?: string };
      return { requestId: res.headers()["request-id"]!, ...(body.access_token ? { accessToken: body.access_token } : {}) };
    },
  };
}
