/** The installation's single organization and its default workspace, created on first start. */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { newId } from "../core/ids";
import { isUniqueViolation } from "../store/paginate";
import type { Database } from "../store/schema";

export interface OrganizationDto {
  id: string;
  type: "organization";
  name: string;
}

export const DEFAULT_DATA_RESIDENCY = { allowed_inference_geos: "unrestricted", default_inference_geo: "global", workspace_geo: "us" };

/**
 * Return the organization, creating it and its default workspace on first start. Safe when
 * several instances start at once against PostgreSQL: the loser of the race re-reads.
 */
export async function ensureOrganization(db: Kysely<Database>): Promise<OrganizationDto> {
  const existing = await db.selectFrom("organizations").selectAll().orderBy("created_at").limit(1).executeTakeFirst();
  if (existing) return { id: existing.id, type: "organization", name: existing.name };
  const now = new Date().toISOString();
  const org = { id: randomUUID(), name: "WIF Console", created_at: now };
  try {
    await db.transaction().execute(async (trx) => {
      // The settings key is the race guard: a second instance starting at the same moment
      // fails on its primary key and rolls back its organization.
      await trx.insertInto("settings").values({ key: "organization_id", value: org.id, updated_at: now }).execute();
      await trx.insertInto("organizations").values(org).execute();
      await trx
        .insertInto("workspaces")
        .values({
          id: newId("workspace"),
          organization_id: org.id,
          name: "Default",
          display_color: "#6C5BB9",
          tags: "{}",
          data_residency: JSON.stringify(DEFAULT_DATA_RESIDENCY),
          is_default: 1,
          created_at: now,
          archived_at: null,
        })
        .execute();
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await db.selectFrom("organizations").selectAll().orderBy("created_at").limit(1).executeTakeFirstOrThrow();
  return { id: row.id, type: "organization", name: row.name };
}

export async function getOrganization(db: Kysely<Database>, organizationId: string): Promise<OrganizationDto | undefined> {
  const row = await db.selectFrom("organizations").selectAll().where("id", "=", organizationId).executeTakeFirst();
  return row && { id: row.id, type: "organization", name: row.name };
}

export async function defaultWorkspaceId(db: Kysely<Database>, organizationId: string): Promise<string> {
  const row = await db
    .selectFrom("workspaces")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("is_default", "=", 1)
    .executeTakeFirstOrThrow();
  return row.id;
}
