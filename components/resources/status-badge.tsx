import { keyExpiryStanding } from "@/lib/core/key-expiry";
import { Badge } from "../ui/badge";

/** Live or archived, for issuers, rules, service accounts and workspaces. */
export function StatusBadge({ archivedAt }: { archivedAt: string | null }) {
  return archivedAt ? <Badge tone="neutral">Archived</Badge> : <Badge tone="green">Live</Badge>;
}

export function KeyStatusBadge({ status }: { status: "active" | "inactive" | "archived" | "expired" }) {
  const tone = status === "active" ? "green" : status === "inactive" ? "amber" : status === "expired" ? "red" : "neutral";
  return (
    <Badge tone={tone} className="capitalize">
      {status}
    </Badge>
  );
}

/** "Expires soon" on an active key in the week before its expiry (lib/core/key-expiry.ts). */
export function KeyExpiryBadge({ expiresAt, now = Date.now() }: { expiresAt: string | null; now?: number }) {
  return keyExpiryStanding(expiresAt, now) === "expiring" ? <Badge tone="amber">Expires soon</Badge> : null;
}
