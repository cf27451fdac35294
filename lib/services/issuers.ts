/** Federation issuers: the identity providers the organization trusts. */
import type { Transaction } from "kysely";
import { invalidRequest } from "../core/errors";
import { newId } from "../core/ids";
import { pinsTenant, tenantPinMessage } from "../core/tenant-pin";
import { resolvedHostRefusal } from "../jwks/safe-fetch";
import type { JwksConfig, RuleMatch } from "../core/types";
import { issuerCreate, issuerUpdate } from "../schemas/issuers";
import type { Database } from "../store/schema";
import { auditChange, changedFields } from "./audit";
import { assertCanWrite, type AdminContext } from "./context";
import { assertMayUpdateIssuer } from "./escalation";
import { consoleIssuerDto, issuerDto, type IssuerDto } from "./dto";
import { parseInput } from "./parse";
import { createdStamp, issuerRows, updatedStamp } from "./resource-table";


/**
 * The URLs keys would be fetched from, refused when entered rather than at the first fetch:
 * plain http (loopback only, by schema) and loopback or private addresses need the
 * development setting; metadata, link-local and reserved addresses are never allowed.
 * @see lib/jwks/safe-fetch.ts, which checks every resolved address again at fetch time.
 */
async function assertUrlsAllowed(ctx: AdminContext, issuerUrl: string | null | undefined, jwks: JwksConfig | null | undefined) {
  const insecure = ctx.config.allowInsecureIssuers;
  const urls: Array<[string, string | null | undefined]> = [["issuer_url", issuerUrl]];
  if (jwks?.type === "discovery") urls.push(["jwks.discovery_base", jwks.discovery_base]);
  if (jwks?.type === "explicit_url") urls.push(["jwks.url", jwks.url]);
  for (const [field, url] of urls) {
    if (!url) continue;
    if (!insecure && url.startsWith("http:")) throw invalidRequest(field, "url must use https scheme (plain http is allowed only with WIF_ALLOW_INSECURE_ISSUERS for local development)");
    const refusal = await resolvedHostRefusal(url, insecure);
    if (refusal) throw invalidRequest(field, refusal);
  }
}

/** The organization's issuers, newest first (`include_archived` for all), and one by ID. */
export const { list: listIssuers, get: getIssuer } = issuerRows.reads(issuerDto);

/** The same reads for the console, with each issuer's key health (not part of the platform's wire shape). */
export const { list: listIssuersWithHealth, get: getIssuerWithHealth } = issuerRows.reads(consoleIssuerDto);

export async function createIssuer(ctx: AdminContext, input: unknown, trxIn?: Transaction<Database>): Promise<IssuerDto> {
  assertCanWrite(ctx);
  const body = parseInput(issuerCreate, input);
  await assertUrlsAllowed(ctx, body.issuer_url, body.jwks);
  const now = new Date().toISOString();
  const row = {
    id: newId("issuer"),
    organization_id: ctx.principal.organizationId,
    name: body.name,
    issuer_url: body.issuer_url,
    jwks: JSON.stringify(body.jwks),
    check_jti: body.check_jti ? 1 : 0,
    max_jwt_lifetime_seconds: body.max_jwt_lifetime_seconds,
    jwks_polling_disabled_at: null,
    poll_consecutive_failures: 0,
    poll_last_fetched_at: null,
    poll_next_at: body.jwks.type === "inline" ? null : now,
    poll_last_error: null,
    poll_last_failed_at: null,
    ...createdStamp(ctx, now),
  };
  await issuerRows.write(ctx, body.name, async (trx) => {
    await issuerRows.assertNameFree(trx, ctx, body.name);
    await trx.insertInto("federation_issuers").values(row).execute();
    await auditChange(trx, ctx, {
      action: "federation_issuer.created",
      targetType: "federation_issuer",
      targetId: row.id,
      detail: { name: row.name, issuer_url: row.issuer_url, jwks_type: body.jwks.type },
    });
  }, trxIn);
  return issuerDto(row);
}

/** What an issuer's audit entry compares: its configuration, not its polling state. */
const ISSUER_AUDITED = ["name", "issuer_url", "jwks", "check_jti", "max_jwt_lifetime_seconds", "jwks_polling_disabled_at"] as const;

export async function updateIssuer(ctx: AdminContext, id: string, input: unknown): Promise<IssuerDto> {
  assertCanWrite(ctx);
  const body = parseInput(issuerUpdate, input);
  await assertUrlsAllowed(ctx, body.issuer_url, body.jwks);
  return issuerRows.write(ctx, body.name, async (trx) => {
    const row = await issuerRows.getForUpdate(trx, ctx, id, "create a new issuer instead");
    await assertMayUpdateIssuer(trx, ctx.principal, row);
    if (body.name && body.name !== row.name) await issuerRows.assertNameFree(trx, ctx, body.name, id);
    if (body.issuer_url && body.issuer_url !== row.issuer_url) {
      // Repointing at a shared platform must not turn existing rules into open doors.
      const rules = await trx.selectFrom("federation_rules").select(["name", "match"]).where("issuer_id", "=", id).where("archived_at", "is", null).execute();
      const open = rules.find((r) => !pinsTenant(body.issuer_url!, JSON.parse(r.match) as RuleMatch));
      if (open) throw invalidRequest("issuer_url", `rule ${open.name} would not pin the tenant on this issuer: ${tenantPinMessage(body.issuer_url)}`);
    }
    const now = new Date().toISOString();
    const jwks = body.jwks ?? (JSON.parse(row.jwks) as JwksConfig);
    const keysChanged = body.jwks != null || (body.issuer_url != null && body.issuer_url !== row.issuer_url);
    const resumePolling = body.jwks_polling_disabled === false;
    const next = {
      ...row,
      name: body.name ?? row.name,
      issuer_url: body.issuer_url ?? row.issuer_url,
      jwks: JSON.stringify(jwks),
      check_jti: body.check_jti == null ? row.check_jti : body.check_jti ? 1 : 0,
      max_jwt_lifetime_seconds: body.max_jwt_lifetime_seconds ?? row.max_jwt_lifetime_seconds,
      jwks_polling_disabled_at: resumePolling ? null : row.jwks_polling_disabled_at,
      poll_consecutive_failures: resumePolling || keysChanged ? 0 : row.poll_consecutive_failures,
      // Another key source: the old one's error says nothing about it.
      poll_last_error: keysChanged ? null : row.poll_last_error,
      poll_next_at: jwks.type === "inline" ? null : resumePolling || keysChanged ? now : row.poll_next_at,
      ...updatedStamp(ctx, now),
    };
    await trx.updateTable("federation_issuers").set(next).where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "federation_issuer.updated", targetType: "federation_issuer", targetId: id, detail: { changed: changedFields(row, next, ISSUER_AUDITED, ["jwks"]) } });
    return issuerDto(next);
  });
}

export async function archiveIssuer(ctx: AdminContext, id: string): Promise<IssuerDto> {
  assertCanWrite(ctx);
  const archived = await issuerRows.archive(ctx, id, {
    async refuse(trx) {
      const live = await trx.selectFrom("federation_rules").select(["id", "name"]).where("issuer_id", "=", id).where("archived_at", "is", null).execute();
      if (live.length) {
        throw invalidRequest(null, `federation issuer ${id} is still used by ${live.length} live rule${live.length > 1 ? "s" : ""} (${live.map((r) => r.name).join(", ")}); archive those rules first`);
      }
    },
  });
  return issuerDto(archived);
}

