/**
 * An issuer's key health where issuers are seen (list and detail): a badge that is never green
 * while the last fetch failed, and the failure's text, time and next try beside it.
 * @see docs/behaviour.md#key-health
 */
import type { KeyHealth } from "@/lib/services/dto";
import { formatDateTime } from "../resources/format";
import { Badge, type BadgeTone } from "../ui/badge";

const BADGES: Record<KeyHealth["state"], { tone: BadgeTone; label: string } | null> = {
  healthy: { tone: "green", label: "Keys fetched" },
  failing: { tone: "red", label: "Key fetch failing" },
  paused: { tone: "amber", label: "Polling paused" },
  pending: { tone: "neutral", label: "Keys not fetched yet" },
  inline: null,
  archived: null,
};

export function KeyHealthBadge({ health }: { health: KeyHealth }) {
  const badge = BADGES[health.state];
  return badge && <Badge tone={badge.tone}>{badge.label}</Badge>;
}

/** One line under the badge in a list: the last error (shortened) and when it happened. */
export function KeyHealthSummary({ health }: { health: KeyHealth }) {
  if (!health.last_error) return null;
  return (
    <p className="mt-1 max-w-80 text-[12.5px] break-words text-red-800">
      {health.last_error.length > 160 ? `${health.last_error.slice(0, 160)}…` : health.last_error}{" "}
      <span className="text-zinc-600">
        ({formatDateTime(health.last_failed_at)}
        {health.next_poll_at ? `; next try ${formatDateTime(health.next_poll_at)}` : ""})
      </span>
    </p>
  );
}
