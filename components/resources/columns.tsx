import type { Column } from "../ui/data-table";
import { formatDate } from "./format";
import { StatusBadge } from "./status-badge";

/** Columns that the resource tables share. */
export const statusColumn: Column<{ archived_at: string | null }> = { header: "Status", cell: (r) => <StatusBadge archivedAt={r.archived_at} /> };

export const createdColumn: Column<{ created_at: string }> = { header: "Created", from: "sm", className: "whitespace-nowrap", cell: (r) => formatDate(r.created_at) };
