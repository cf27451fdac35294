"use client";

import { listAdminKeysAction, setAdminKeyStatusAction } from "@/lib/console/actions/admin-keys";
import { listApiKeysAction, setApiKeyStatusAction } from "@/lib/console/actions/api-keys";
import { PagedTable } from "@/components/lists/paged-table";
import { ACTIONS_HEADER, type Column } from "@/components/ui/data-table";
import { ConfirmActionButton } from "@/components/ui/dialog";
import type { ApiKeyDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { createdColumn } from "../resources/columns";
import { formatDateTime } from "../resources/format";
import { KeyExpiryBadge, KeyStatusBadge } from "../resources/status-badge";

const KINDS = {
  api: { label: "API keys", noun: "API key", list: listApiKeysAction, setStatus: setApiKeyStatusAction },
  admin: { label: "Admin keys", noun: "admin key", list: listAdminKeysAction, setStatus: setAdminKeyStatusAction },
} as const;

type Status = ApiKeyDto["status"];

/** The status changes a key offers, when, and what each does to requests with the key. */
const STATUS_CHANGES: Array<{ to: "active" | "inactive" | "archived"; label: string; offered: (s: Status) => boolean; description: string }> = [
  { to: "inactive", label: "Deactivate", offered: (s) => s === "active", description: "Requests with this key are refused until it is activated again." },
  { to: "active", label: "Activate", offered: (s) => s === "inactive", description: "Requests with this key are accepted again." },
  { to: "archived", label: "Archive", offered: (s) => s !== "archived", description: "The key stops working for good. Archived keys cannot be reactivated." },
];

export function KeyList({
  kind,
  initial,
  version,
  editable,
  workspaceNames,
}: {
  kind: "api" | "admin";
  initial: PageResult<ApiKeyDto>;
  version: string;
  editable: boolean;
  workspaceNames: Record<string, string>;
}) {
  const { label, noun, list, setStatus } = KINDS[kind];
  const columns: Array<Column<ApiKeyDto> | false> = [
    {
      header: "Name",
      className: "min-w-32",
      cell: (key) => (
        <>
          <div className="font-medium">{key.name}</div>
          <div className="font-mono text-xs text-zinc-600 md:hidden">{key.partial_key_hint}</div>
        </>
      ),
    },
    { header: "Key", from: "md", className: "font-mono text-[12.5px]", cell: (key) => key.partial_key_hint },
    kind === "api" && { header: "Workspace", from: "sm", cell: (key) => (key.scope.type === "workspace" ? (workspaceNames[key.scope.workspace_id] ?? key.scope.workspace_id) : "Organization") },
    {
      header: "Status",
      cell: (key) => (
        <>
          <div className="flex flex-wrap gap-1">
            <KeyStatusBadge status={key.status} />
            {key.status === "active" && <KeyExpiryBadge expiresAt={key.expires_at} />}
          </div>
          {key.expires_at && (key.status === "active" || key.status === "expired") && (
            <div className="mt-1 text-xs text-zinc-600">
              {key.status === "expired" ? "Since" : "Until"} {formatDateTime(key.expires_at)}
            </div>
          )}
        </>
      ),
    },
    { header: "Last used", from: "lg", className: "whitespace-nowrap", cell: (key) => (key.last_used_at ? formatDateTime(key.last_used_at) : "Never") },
    createdColumn,
    editable && {
      header: ACTIONS_HEADER,
      cell: (key) => (
        <div className="flex flex-col items-end gap-1.5 sm:flex-row sm:justify-end sm:gap-2">
          {STATUS_CHANGES.filter((c) => c.offered(key.status)).map((c) => (
            <ConfirmActionButton
              key={c.to}
              size="sm"
              label={c.label}
              variant={c.to === "active" ? "primary" : "danger"}
              title={`${c.label} ${noun} ${key.name}?`}
              description={c.description}
              confirmLabel={c.label}
              action={() => setStatus(key.id, c.to)}
            />
          ))}
        </div>
      ),
    },
  ];
  return <PagedTable label={label} noun={`${noun}s`} columns={columns} initial={initial} version={version} listAction={list} />;
}
