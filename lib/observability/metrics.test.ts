/** Label values a caller can choose stay bounded: a flood of invented model names or routes cannot grow a scrape without end. */
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics";

const labelValues = async (metrics: ReturnType<typeof createMetrics>, family: string, label: string) => {
  const parsed = parsePrometheusTextFormat(await metrics.registry.metrics()).find((f) => f.name === family);
  return new Set((parsed?.metrics ?? []).map((m) => m.labels?.[label]));
};

const row = (model: string) => ({ status: 200, model, service_account_id: "svac_1", outcome: "completed", input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: null, cache_read_input_tokens: null });

describe("metric labels", () => {
  it("keep the first 50 model names and count the rest as other", async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 500; i++) metrics.observeGatewayRequest(row(`invented-model-${i}`));
    const models = await labelValues(metrics, "wif_gateway_requests_total", "model");
    expect(models.size).toBe(51);
    expect(models.has("other")).toBe(true);
    expect(models.has("invented-model-0")).toBe(true);
    metrics.close();
  });

  it("count an over-long model name as other", async () => {
    const metrics = createMetrics();
    metrics.observeGatewayRequest(row("m".repeat(101)));
    expect(await labelValues(metrics, "wif_gateway_requests_total", "model")).toEqual(new Set(["other"]));
    metrics.close();
  });

  it("keep at most 500 routes", async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 2_000; i++) metrics.observeHttpRequest(`/not-a-page-${i}`, "GET", 404, 0.001);
    expect((await labelValues(metrics, "wif_http_requests_total", "route")).size).toBe(501);
    metrics.close();
  });
});
