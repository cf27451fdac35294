"use client";

import { listServiceAccountsAction } from "@/lib/console/actions/service-accounts";
import { PagedTable } from "@/components/lists/paged-table";
import type { Column } from "@/components/ui/data-table";
import { TextLink } from "@/components/ui/text-link";
import type { ServiceAccountDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { createdColumn, statusColumn } from "../resources/columns";
import { RoleBadge } from "./role-badge";

const COLUMNS: Array<Column<ServiceAccountDto>> = [
  { header: "Name", cell: (sa) => <TextLink href={`/service-accounts/${sa.id}`}>{sa.name}</TextLink> },
  { header: "Role", cell: (sa) => <RoleBadge role={sa.organization_role} /> },
  { header: "Description", from: "md", className: "max-w-80 text-zinc-600", cell: (sa) => sa.description || "—" },
  statusColumn,
  createdColumn,
];

export function ServiceAccountList({ initial, includeArchived, version }: { initial: PageResult<ServiceAccountDto>; includeArchived: boolean; version: string }) {
  return (
    <PagedTable label="Service accounts" noun="service accounts" columns={COLUMNS} initial={initial} version={version} query={{ include_archived: String(includeArchived) }} listAction={listServiceAccountsAction} />
  );
}
