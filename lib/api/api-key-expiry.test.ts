/**
 * API keys with `expires_at`: refused at every use once expired — the Admin API, the gateway,
 * token introspection — with a 401 that says so, listed as expired, and what the console warns
 * about in the week before. One row per use; each runs with a key that has not expired too,
 * so a row fails if the use ignores expiry or refuses every key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminKey, listExpiringApiKeys } from "../services/api-keys";
import { startGatewayHarness, type GatewayHarness } from "../../e2e/support/gateway-harness";
import { DATABASE_KINDS } from "../../e2e/support/test-server";

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe.each(DATABASE_KINDS)("API key expiry (%s)", (kind) => {
  let h: GatewayHarness;
  /** Keys by state: `live` expires in 30 days, `soon` in 2, `expired` expired yesterday (set in the database: the API refuses a past expiry). */
  const api: Record<"live" | "soon" | "expired", { id: string; key: string }> = {} as never;
  const admin: Record<"live" | "expired", string> = {} as never;

  beforeAll(async () => {
    h = await startGatewayHarness(kind);
    const db = h.server.runtime.store.db;
    for (const [state, days] of [["live", 30], ["soon", 2], ["expired", 30]] as const) {
      const created = (await h.server.admin("POST", "/api_keys", { name: `key-${state}`, expires_at: inDays(days) })) as unknown as { api_key: { id: string }; key: string };
      api[state] = { id: created.api_key.id, key: created.key };
    }
    await db.updateTable("api_keys").set({ expires_at: inDays(-1) }).where("id", "=", api.expired.id).execute();
    admin.live = h.server.adminKey;
    const expiredAdmin = await createAdminKey(db, h.server.organizationId, "expired-admin", { type: "system" });
    await db.updateTable("api_keys").set({ expires_at: inDays(-1) }).where("id", "=", expiredAdmin.api_key.id).execute();
    admin.expired = expiredAdmin.key;
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (path: string, headers: Record<string, string>, body: string) => fetch(`${h.server.url}${path}`, { method: "POST", headers, body });

  const uses: Array<{ use: string; key: "api" | "admin"; send: (key: string) => Promise<Response> }> = [
    { use: "Admin API (admin key)", key: "admin", send: (key) => fetch(`${h.server.url}/v1/organizations/api_keys`, { headers: { authorization: `Bearer ${key}` } }) },
    {
      use: "gateway, x-api-key",
      key: "api",
      send: (key) => post("/v1/messages", { "x-api-key": key, "content-type": "application/json" }, JSON.stringify({ model: "m", max_tokens: 8, messages: [{ role: "user", content: "hi" }] })),
    },
    { use: "gateway, Authorization: Bearer", key: "api", send: (key) => fetch(`${h.server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }) },
    {
      use: "token introspection (the caller's admin key)",
      key: "admin",
      send: (key) => post("/v1/oauth/introspect", { authorization: `Bearer ${key}`, "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ token: api.live.key }).toString()),
    },
  ];

  it.each(uses)("$use: an expired key gets 401 saying it expired; a live one is let through", async ({ key, send }) => {
    const [live, expired] = key === "api" ? [api.live.key, api.expired.key] : [admin.live, admin.expired];
    const refused = await send(expired);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).toMatch(/This API key expired at \d{4}-\d{2}-\d{2}T[\d:.]+Z/);
    const accepted = await send(live);
    expect(accepted.status).toBeLessThan(400);
  });

  it("introspecting an expired key says it is not active", async () => {
    const introspect = async (token: string) =>
      (await post("/v1/oauth/introspect", { authorization: `Bearer ${admin.live}`, "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ token }).toString())).json();
    expect(await introspect(api.expired.key)).toEqual({ active: false });
    expect(await introspect(api.live.key)).toMatchObject({ active: true, token_type: "api_key" });
  });

  it("lists an expired key as expired, and the status filters agree", async () => {
    const list = async (query: string) => ((await h.server.admin("GET", `/api_keys${query}`)) as unknown as { data: Array<{ id: string; status: string }> }).data;
    expect((await list("")).find((k) => k.id === api.expired.id)?.status).toBe("expired");
    expect((await list("?status=expired")).map((k) => k.id)).toEqual([api.expired.id]);
    expect((await list("?status=active")).map((k) => k.id).sort()).toEqual([api.live.id, api.soon.id].sort());
  });

  it("warns about the keys expiring within a week, and only those", async () => {
    const expiring = await listExpiringApiKeys({ db: h.server.runtime.store.db, principal: { kind: "system", organizationId: h.server.organizationId, label: "test" }, requestId: null, config: { allowInsecureIssuers: false, defaultAudience: "https://api.anthropic.com" } });
    expect(expiring.map((k) => k.id)).toEqual([api.soon.id]);
  });

  const creations: Array<{ input: unknown; status: number; expires?: string | null; message?: RegExp }> = [
    { input: { name: "no-expiry" }, status: 200, expires: null },
    { input: { name: "null-expiry", expires_at: null }, status: 200, expires: null },
    { input: { name: "date-only", expires_at: "2999-01-31" }, status: 200, expires: "2999-02-01T00:00:00.000Z" },
    { input: { name: "offset", expires_at: "2999-01-31T12:00:00+02:00" }, status: 200, expires: "2999-01-31T10:00:00.000Z" },
    { input: { name: "past", expires_at: "2000-01-01T00:00:00Z" }, status: 400, message: /expires_at: must be in the future/ },
    { input: { name: "garbage", expires_at: "next tuesday" }, status: 400, message: /expires_at: must be an ISO 8601 date-time/ },
    { input: { name: "number", expires_at: 1700000000 }, status: 400, message: /expires_at/ },
  ];

  it.each(creations)("create with $input.expires_at: $status", async ({ input, status, expires, message }) => {
    const res = await fetch(`${h.server.url}/v1/organizations/api_keys`, { method: "POST", headers: { authorization: `Bearer ${admin.live}`, "content-type": "application/json" }, body: JSON.stringify(input) });
    const body = (await res.json()) as { api_key?: { expires_at: string | null }; error?: { message: string } };
    expect(res.status).toBe(status);
    if (expires !== undefined) expect(body.api_key?.expires_at).toBe(expires);
    if (message) expect(body.error?.message).toMatch(message);
  });
});
