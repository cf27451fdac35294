/**
 * Fuzz, API layer: a few thousand generated hostile requests (fixed seed) against the real
 * server — the edge, the token endpoint and the Admin API with a valid admin key — and not
 * one may be answered 5xx or dropped. The console (Next) needs a build, so its fuzz runs in
 * e2e/edge.spec.ts against the suite's built console; `npm run fuzz` runs both at volume.
 * The generator: e2e/support/fuzz.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../e2e/support/test-server";
import { runFuzz, type Family } from "../../e2e/support/fuzz";

const SEED = 424_242;

describe("fuzzing the API layer", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
  });
  afterAll(async () => server?.close());

  it.each<[families: Family[], count: number]>([
    [["token"], 1_000],
    [["admin"], 1_200],
    [["path", "method", "target", "headers"], 800],
  ])("%j: %i requests, no 5xx", async (families, count) => {
    const port = Number(new URL(server.url).port);
    const report = await runFuzz({ host: "127.0.0.1", port, console: false, actionIds: [], adminKey: server.adminKey }, { seed: SEED, count, concurrency: 4, families });
    expect(report.failures, JSON.stringify(report.failures.slice(0, 5), null, 1)).toEqual([]);
    expect(report.sent).toBe(count);
    // The generator reaches past the refusals: some requests are accepted.
    expect(report.statusClasses["4xx"]).toBeGreaterThan(0);
    if (families.includes("admin")) expect(report.statusClasses["2xx"]).toBeGreaterThan(0);
  }, 120_000);
});
