"use client";

import { listWorkspacesAction } from "@/lib/console/actions/workspaces";
import { PagedTable } from "@/components/lists/paged-table";
import { Badge } from "@/components/ui/badge";
import type { Column } from "@/components/ui/data-table";
import { TextLink } from "@/components/ui/text-link";
import type { WorkspaceDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { createdColumn, statusColumn } from "../resources/columns";

export function ColorDot({ color }: { color: string }) {
  return <span aria-hidden="true" className="inline-block size-2.5 shrink-0 rounded-full ring-1 ring-black/10" style={{ backgroundColor: color }} />;
}

const COLUMNS: Array<Column<WorkspaceDto>> = [
  {
    header: "Name",
    cell: (w) => (
      <span className="flex items-center gap-2">
        <ColorDot color={w.display_color} />
        <TextLink href={`/workspaces/${w.id}`}>{w.name}</TextLink>
        {w.is_default && <Badge tone="brand">Default</Badge>}
      </span>
    ),
  },
  { header: "ID", from: "md", className: "font-mono text-[12.5px]", cell: (w) => w.id },
  statusColumn,
  createdColumn,
];

export function WorkspaceList({ initial, includeArchived, version }: { initial: PageResult<WorkspaceDto>; includeArchived: boolean; version: string }) {
  return <PagedTable label="Workspaces" noun="workspaces" columns={COLUMNS} initial={initial} version={version} query={{ include_archived: String(includeArchived) }} listAction={listWorkspacesAction} />;
}
