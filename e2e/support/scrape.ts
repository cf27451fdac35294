/**
 * A Prometheus scrape of a test server's `/metrics`, parsed with a Prometheus text-format
 * parser (not our own code): families by name, and the value of one counter's series. The
 * parser folds a histogram's labelled series into one (it handles unlabelled histograms
 * only), so histogram counts are read with `observations` from prom-client's registry.
 */
import type { Registry } from "prom-client";
import parsePrometheusTextFormat from "parse-prometheus-text-format";

export interface Scrape {
  families: Map<string, ReturnType<typeof parsePrometheusTextFormat>[number]>;
  /** Sum of the samples of counter/gauge `name` whose labels include `labels` (0 when none). */
  value(name: string, labels?: Record<string, string>): number;
}

const matches = (have: Record<string, string> | undefined, want: Record<string, string>) => Object.entries(want).every(([k, v]) => have?.[k] === v);

export async function scrape(url: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${await res.text()}`);
  const families = new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
  const samples = (name: string, labels: Record<string, string>) => (families.get(name)?.metrics ?? []).filter((m) => matches(m.labels, labels));
  return {
    families,
    value: (name, labels = {}) => samples(name, labels).reduce((sum, m) => sum + Number(m.value), 0),
  };
}

/** How many observations histogram `name` holds in `registry` for series whose labels include `labels`. */
export async function observations(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).filter((v) => (v as { metricName?: string }).metricName === `${name}_count` && matches(v.labels as Record<string, string>, labels)).reduce((sum, v) => sum + v.value, 0);
}
