import { Badge } from "../ui/badge";

/** Live or archived, for issuers, rules, service accounts and workspaces. */
export function StatusBadge({ archivedAt }: { archivedAt: string | null }) {
  return archivedAt ? <Badge tone="neutral">Archived</Badge> : <Badge tone="green">Live</Badge>;
}

export function KeyStatusBadge({ status }: { status: "active" | "inactive" | "archived" | "expired" }) {
  const tone = status === "active" ? "green" : status === "inactive" ? "amber" : "neutral";
  return (
    <Badge tone={tone} className="capitalize">
      {status}
    </Badge>
  );
}
