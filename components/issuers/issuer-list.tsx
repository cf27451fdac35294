"use client";

import { listIssuersAction } from "@/lib/console/actions/issuers";
import { PagedTable } from "@/components/lists/paged-table";
import type { Column } from "@/components/ui/data-table";
import { TextLink } from "@/components/ui/text-link";
import type { ConsoleIssuerDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { createdColumn } from "../resources/columns";
import { JWKS_LABELS } from "../resources/format";
import { StatusBadge } from "../resources/status-badge";
import { KeyHealthBadge, KeyHealthSummary } from "./key-health";

const COLUMNS: Array<Column<ConsoleIssuerDto>> = [
  {
    header: "Name",
    cell: (issuer) => (
      <TextLink href={`/issuers/${issuer.id}`} className="focus-visible:outline-2 focus-visible:outline-brand-600">
        {issuer.name}
      </TextLink>
    ),
  },
  { header: "Issuer URL", className: "max-w-72 font-mono text-[12.5px] break-all", cell: (issuer) => issuer.issuer_url },
  { header: "Keys", from: "md", cell: (issuer) => JWKS_LABELS[issuer.jwks.type] },
  {
    header: "Status",
    cell: (issuer) => (
      <>
        <div className="flex flex-wrap gap-1">
          <StatusBadge archivedAt={issuer.archived_at} />
          <KeyHealthBadge health={issuer.key_health} />
        </div>
        <KeyHealthSummary health={issuer.key_health} />
      </>
    ),
  },
  createdColumn,
];

export function IssuerList({ initial, includeArchived, version }: { initial: PageResult<ConsoleIssuerDto>; includeArchived: boolean; version: string }) {
  return <PagedTable label="Issuers" noun="issuers" columns={COLUMNS} initial={initial} version={version} query={{ include_archived: String(includeArchived) }} listAction={listIssuersAction} />;
}
