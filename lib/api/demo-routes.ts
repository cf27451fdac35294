/** The demo issuer's OIDC documents, served like any provider's. */
import type { Hono } from "hono";
import { DEMO_ISSUER_PATH, demoIssuerUrl, discoveryDocument, publicJwks } from "../demo/issuer";
import type { Runtime } from "../runtime";
import type { ApiEnv } from "./http";

export function mountDemoIssuer(app: Hono<ApiEnv>, runtime: Runtime): void {
  app.get(`${DEMO_ISSUER_PATH}/.well-known/openid-configuration`, (c) => {
    c.header("cache-control", "public, max-age=300");
    return c.json(discoveryDocument(demoIssuerUrl(runtime.publicUrl)));
  });
  app.get(`${DEMO_ISSUER_PATH}/jwks.json`, async (c) => {
    c.header("cache-control", "public, max-age=300");
    return c.json(await publicJwks(runtime.store.db));
  });
}
