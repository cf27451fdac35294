import type { Column } from "../ui/data-table";
import { formatDate } from "./format";
import { StatusBadge } from "./status-badge";
import { TextLink } from "../ui/text-link";

/** Columns that the resource tables share. */
export const statusColumn: Column<{ archived_at: string | null }> = { header: "Status", cell: (r) => <StatusBadge archivedAt={r.archived_at} /> };

export const createdColumn: Column<{ created_at: string }> = { header: "Created", from: "sm", className: "whitespace-nowrap", cell: (r) => formatDate(r.created_at) };

/** A rule's name leading to its page, in tables of the rules that use an issuer or target an account. */
export const ruleColumn: Column<{ id: string; name: string }> = { header: "Rule", cell: (r) => <TextLink href={`/rules/${r.id}`}>{r.name}</TextLink> };

export const scopeColumn: Column<{ oauth_scope: string }> = { header: "Scope", from: "sm", cell: (r) => r.oauth_scope };
