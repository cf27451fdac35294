/**
 * Gateway limits per service account and per API key: requests per minute, tokens per
 * minute, concurrent streams. Stored per subject; the gateway enforces them
 * (lib/gateway/limits.ts) and reads them through `limitsFor`, cached briefly per process.
 * @see docs/gateway.md#limits
 */
import type { Kysely } from "kysely";
import { notFound } from "../core/errors";
import { limitsUpdate } from "../schemas/gateway";
import type { Database } from "../store/schema";
import { auditChange } from "./audit";
import { actorId, assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { parseInput } from "./parse";
import { readCache } from "./read-cache";

export type LimitSubjectType = "service_account" | "api_key";

export interface GatewayLimits {
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  concurrent_streams: number | null;
}

export interface GatewayLimitsDto extends GatewayLimits {
  type: "gateway_limits";
  subject_type: LimitSubjectType;
  subject_id: string;
  updated_at: string | null;
}

const NO_LIMITS: GatewayLimits = { requests_per_minute: null, tokens_per_minute: null, concurrent_streams: null };

const cache = readCache<GatewayLimits>({ ttlMs: 5000, maxEntries: 50_000 });

/** The limits of one subject (none when never set); kept up to 5 s per process, cleared by a change made here. */
export function limitsFor(db: Kysely<Database>, subjectType: LimitSubjectType, subjectId: string, now = Date.now()): Promise<GatewayLimits> {
  return cache.get(db, `${subjectType}:${subjectId}`, now, () =>
    db
      .selectFrom("gateway_limits")
      .select(["requests_per_minute", "tokens_per_minute", "concurrent_streams"])
      .where("subject_type", "=", subjectType)
      .where("subject_id", "=", subjectId)
      .executeTakeFirst()
      .then((row) => row ?? NO_LIMITS),
  );
}

/** The subject must exist in the caller's organization. */
async function requireSubject(ctx: AdminContext, subjectType: LimitSubjectType, subjectId: string): Promise<void> {
  const orgId = ctx.principal.organizationId;
  const found =
    subjectType === "service_account"
      ? await ctx.db.selectFrom("service_accounts").select("id").where("organization_id", "=", orgId).where("id", "=", subjectId).executeTakeFirst()
      : await ctx.db.selectFrom("api_keys").select("id").where("organization_id", "=", orgId).where("id", "=", subjectId).where("kind", "=", "api").executeTakeFirst();
  if (!found) throw notFound(subjectType === "service_account" ? "service account" : "API key", subjectId);
}

export async function getGatewayLimits(ctx: AdminContext, subjectType: LimitSubjectType, subjectId: string): Promise<GatewayLimitsDto> {
  assertCanRead(ctx);
  await requireSubject(ctx, subjectType, subjectId);
  const row = await ctx.db.selectFrom("gateway_limits").selectAll().where("subject_type", "=", subjectType).where("subject_id", "=", subjectId).executeTakeFirst();
  return toDto(subjectType, subjectId, row);
}

/** Set some limits; a null removes one, an absent field keeps it. */
export async function setGatewayLimits(ctx: AdminContext, subjectType: LimitSubjectType, subjectId: string, input: unknown): Promise<GatewayLimitsDto> {
  assertCanWrite(ctx);
  const body = parseInput(limitsUpdate, input);
  await requireSubject(ctx, subjectType, subjectId);
  const now = new Date().toISOString();
  let after: Database["gateway_limits"] | undefined;
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("gateway_limits").selectAll().where("subject_type", "=", subjectType).where("subject_id", "=", subjectId).executeTakeFirst();
    const pick = (k: keyof GatewayLimits) => (body[k] === undefined ? (before?.[k] ?? null) : body[k]);
    after = {
      subject_type: subjectType,
      subject_id: subjectId,
      organization_id: ctx.principal.organizationId,
      requests_per_minute: pick("requests_per_minute"),
      tokens_per_minute: pick("tokens_per_minute"),
      concurrent_streams: pick("concurrent_streams"),
      updated_at: now,
      updated_by_actor_id: actorId(ctx.principal),
    };
    await trx
      .insertInto("gateway_limits")
      .values(after)
      .onConflict((oc) => oc.columns(["subject_type", "subject_id"]).doUpdateSet({ ...after! }))
      .execute();
    const changed: Record<string, { from: number | null; to: number | null }> = {};
    for (const k of ["requests_per_minute", "tokens_per_minute", "concurrent_streams"] as const) {
      if ((before?.[k] ?? null) !== after[k]) changed[k] = { from: before?.[k] ?? null, to: after[k] };
    }
    await auditChange(trx, ctx, { action: "gateway_limits.updated", targetType: subjectType, targetId: subjectId, detail: { changed } });
  });
  cache.clear(ctx.db);
  return toDto(subjectType, subjectId, after);
}

function toDto(subjectType: LimitSubjectType, subjectId: string, row: Database["gateway_limits"] | undefined): GatewayLimitsDto {
  return {
    type: "gateway_limits",
    subject_type: subjectType,
    subject_id: subjectId,
    requests_per_minute: row?.requests_per_minute ?? null,
    tokens_per_minute: row?.tokens_per_minute ?? null,
    concurrent_streams: row?.concurrent_streams ?? null,
    updated_at: row?.updated_at ?? null,
  };
}
