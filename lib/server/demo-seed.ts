/**
 * `npm run demo`: sample resources on the built-in demo issuer, so a presenter can show the
 * whole flow (set up, mint, test, exchange, history) with no outside identity provider.
 * Idempotent: runs at every demo start, creates only what is missing — and moves the demo
 * issuer to this start's URL, since a presenter may start on another port or public URL
 * than last time and the sample tokens carry the current one as `iss`.
 */
import "server-only";
import type { Kysely } from "kysely";
import type { AdminContext } from "../services/context";
import { createIssuer, updateIssuer } from "../services/issuers";
import { createRule } from "../services/rules";
import { createServiceAccount } from "../services/service-accounts";
import type { Config } from "../config";
import type { Database } from "../store/schema";
import { demoIssuerUrl } from "../demo/issuer";

export const DEMO_NAMES = { issuer: "demo-issuer", serviceAccount: "demo-deployer", rule: "demo-github-main" } as const;

export async function seedDemo(db: Kysely<Database>, organizationId: string, publicUrl: string, config: Pick<Config, "allowInsecureIssuers" | "defaultAudience">) {
  const ctx: AdminContext = { db, principal: { kind: "system", organizationId, label: "npm run demo" }, requestId: null, config };
  const live = (table: "federation_issuers" | "service_accounts" | "federation_rules", name: string) =>
    db
      .selectFrom(table as "service_accounts")
      .select("id").where("organization_id", "=", organizationId).where("name", "=", name).where("archived_at", "is", null).executeTakeFirst();

  const issuerUrl = demoIssuerUrl(publicUrl);
  const issuer = await db
    .selectFrom("federation_issuers")
    .select(["id", "issuer_url"])
    .where("organization_id", "=", organizationId).where("name", "=", DEMO_NAMES.issuer).where("archived_at", "is", null).executeTakeFirst();
  if (issuer && issuer.issuer_url !== issuerUrl) await updateIssuer(ctx, issuer.id, { issuer_url: issuerUrl });
  const issuerId = issuer?.id ?? (await createIssuer(ctx, { name: DEMO_NAMES.issuer, issuer_url: issuerUrl })).id;
  const saId =
    (await live("service_accounts", DEMO_NAMES.serviceAccount))?.id ??
    (await createServiceAccount(ctx, { name: DEMO_NAMES.serviceAccount, description: "Sample service account for the demo issuer" })).id;
  if (!(await live("federation_rules", DEMO_NAMES.rule))) {
    await createRule(ctx, {
      name: DEMO_NAMES.rule,
      description: "Admits demo tokens shaped like GitHub Actions pushes to main of acme/demo-app",
      issuer_id: issuerId,
      match: { subject_prefix: "repo:acme/demo-app:ref:refs/heads/main", claims: { repository_owner: "acme" } },
      target: { type: "service_account", service_account_id: saId },
      oauth_scope: "workspace:developer",
      token_lifetime_seconds: 900,
      workspace_id: "default",
    });
  }
  return { issuerUrl };
}
