import { Badge } from "../ui/badge";

/** Granted or denied, for an exchange; success or failure, for an audit entry. */
export function OutcomeBadge({ outcome }: { outcome: "granted" | "denied" | "success" | "failure" }) {
  const good = outcome === "granted" || outcome === "success";
  return <Badge tone={good ? "green" : "red"}>{outcome.charAt(0).toUpperCase() + outcome.slice(1)}</Badge>;
}
