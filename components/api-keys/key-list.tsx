"use client";

import { useRouter } from "next/navigation";
import { listAdminKeysAction, setAdminKeyStatusAction } from "@/lib/console/actions/admin-keys";
import { listApiKeysAction, setApiKeyStatusAction } from "@/lib/console/actions/api-keys";
import { LoadMore } from "@/components/lists/load-more";
import { usePagedList } from "@/components/lists/use-paged-list";
import { ConfirmButton } from "@/components/ui/dialog";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ApiKeyDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { formatDate, formatDateTime } from "../resources/format";
import { KeyStatusBadge } from "../resources/status-badge";

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
  const router = useRouter();
  const list = usePagedList({
    resource: `${kind}-keys`,
    filters: {},
    version,
    initial,
    fetchPage: (after_id) => (kind === "api" ? listApiKeysAction({ after_id }) : listAdminKeysAction({ after_id })),
  });
  const setStatus = kind === "api" ? setApiKeyStatusAction : setAdminKeyStatusAction;
  const noun = kind === "api" ? "API key" : "admin key";

  const statusButton = (key: ApiKeyDto, status: "active" | "inactive" | "archived", label: string, description: string) => (
    <ConfirmButton
      size="sm"
      label={label}
      variant={status === "active" ? "primary" : "danger"}
      title={`${label} ${noun} ${key.name}?`}
      description={description}
      confirmLabel={label}
      onConfirm={async () => {
        const result = await setStatus(key.id, status);
        if (result.ok) router.refresh();
        return result;
      }}
    />
  );

  return (
    <>
      <Table label={kind === "api" ? "API keys" : "Admin keys"}>
        <THead>
          <tr>
            <TH>Name</TH>
            <TH className="hidden md:table-cell">Key</TH>
            {kind === "api" && <TH className="hidden sm:table-cell">Workspace</TH>}
            <TH>Status</TH>
            <TH className="hidden lg:table-cell">Last used</TH>
            <TH className="hidden sm:table-cell">Created</TH>
            {editable && (
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            )}
          </tr>
        </THead>
        <TBody>
          {list.items.map((key) => (
            <TR key={key.id}>
              <TD className="min-w-32">
                <div className="font-medium">{key.name}</div>
                <div className="font-mono text-xs text-zinc-600 md:hidden">{key.partial_key_hint}</div>
              </TD>
              <TD className="hidden font-mono text-[12.5px] md:table-cell">{key.partial_key_hint}</TD>
              {kind === "api" && <TD className="hidden sm:table-cell">{key.scope.type === "workspace" ? (workspaceNames[key.scope.workspace_id] ?? key.scope.workspace_id) : "Organization"}</TD>}
              <TD>
                <KeyStatusBadge status={key.status} />
              </TD>
              <TD className="hidden whitespace-nowrap lg:table-cell">{key.last_used_at ? formatDateTime(key.last_used_at) : "Never"}</TD>
              <TD className="hidden whitespace-nowrap sm:table-cell">{formatDate(key.created_at)}</TD>
              {editable && (
                <TD>
                  <div className="flex flex-col items-end gap-1.5 sm:flex-row sm:justify-end sm:gap-2">
                    {key.status === "active" && statusButton(key, "inactive", "Deactivate", "Requests with this key are refused until it is activated again.")}
                    {key.status === "inactive" && statusButton(key, "active", "Activate", "Requests with this key are accepted again.")}
                    {key.status !== "archived" && statusButton(key, "archived", "Archive", "The key stops working for good. Archived keys cannot be reactivated.")}
                  </div>
                </TD>
              )}
            </TR>
          ))}
        </TBody>
      </Table>
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun={`${noun}s`} />
    </>
  );
}
