/** How the gateway's request log shows a status, an outcome, tokens and times (server and client). */
import { Badge, type BadgeTone } from "@/components/ui/badge";

const OUTCOMES: Record<string, string> = {
  completed: "Completed",
  denied: "Denied",
  incomplete: "Incomplete",
  client_closed: "Client closed",
  upstream_unreachable: "Upstream unreachable",
  upstream_timeout: "Upstream timed out",
};

/** The status code coloured by class, with the outcome when it is not a plain completion. */
export function StatusBadge({ status, outcome }: { status: number; outcome: string }) {
  const tone: BadgeTone = outcome === "incomplete" || outcome === "client_closed" ? "amber" : status >= 500 ? "red" : status >= 400 ? "amber" : "green";
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={tone}>{status}</Badge>
      {outcome !== "completed" && <Badge tone={tone}>{OUTCOMES[outcome] ?? outcome}</Badge>}
    </span>
  );
}

export const outcomeLabel = (outcome: string) => OUTCOMES[outcome] ?? outcome;

const n = (v: number | null) => (v === null ? "—" : v.toLocaleString("en-GB"));

/** "11 in · 7 out", with cache tokens when there were any. */
export function tokenSummary(r: { input_tokens: number | null; output_tokens: number | null; cache_creation_input_tokens: number | null; cache_read_input_tokens: number | null }): string {
  if (r.input_tokens === null && r.output_tokens === null) return "—";
  const cache = (r.cache_creation_input_tokens ?? 0) + (r.cache_read_input_tokens ?? 0);
  return `${n(r.input_tokens)} in · ${n(r.output_tokens)} out${cache ? ` · ${n(cache)} cache` : ""}`;
}

export const formatMs = (ms: number | null) => (ms === null ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toLocaleString("en-GB")} ms`);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "1 request", "2,048 tokens". */
export const count = (n: number, noun: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? noun : `${noun}s`}`;
