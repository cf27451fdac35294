"use client";

import Link from "next/link";
import { LoadMore } from "@/components/lists/load-more";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AuditEventDto } from "@/lib/services/history";
import type { PageResult } from "@/lib/store/paginate";
import { cn } from "../ui/cn";
import { actionLabel, auditDetails, targetHref } from "./format";
import { LiveStatus } from "./live-status";
import { OutcomeBadge } from "./outcome-badge";
import { RelativeTime } from "./relative-time";
import { HISTORY_PAGE_SIZE } from "./page-size";
import { useLiveList } from "./use-live-list";


const ACTOR_TYPES: Record<string, string> = {
  user: "Console user",
  admin_key: "Admin key",
  api_key: "API key",
  service_account: "Service account",
  system: "System",
  anonymous: "Not signed in",
};

/** The detail's pairs, one a line; long values (IDs, URLs) wrap anywhere rather than widen the table. */
function Details({ pairs }: { pairs: Array<[string, string]> }) {
  if (pairs.length === 0) return <span className="text-zinc-600">—</span>;
  return (
    <dl className="space-y-0.5 text-xs [overflow-wrap:anywhere]">
      {pairs.map(([k, v]) => (
        <div key={k}>
          <dt className="inline text-zinc-600">{k}: </dt>
          <dd className="inline text-zinc-800">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Target({ e }: { e: AuditEventDto }) {
  if (!e.target_id) return <span className="text-zinc-600">—</span>;
  const href = targetHref(e.target_type, e.target_id);
  const id = <span className="font-mono text-[12.5px] break-all">{e.target_id}</span>;
  return href ? (
    <Link href={href} className="text-brand-700 hover:underline">
      {id}
    </Link>
  ) : (
    id
  );
}

/** Configuration changes (and, when asked, every Admin API request), newest first, live. */
export function AuditEventList({ initial, filters, version }: { initial: PageResult<AuditEventDto>; filters: Record<string, string>; version: string }) {
  const list = useLiveList({ endpoint: "/history/audit", params: filters, initial, version, pageSize: HISTORY_PAGE_SIZE });
  return (
    <>
      <LiveStatus error={list.liveError} arrived={list.arrived.size} noun={["entry", "entries"]} />
      {list.items.length === 0 ? (
        <EmptyState title="No changes yet">Creating, updating or archiving issuers, rules, service accounts, workspaces, keys and users is recorded here.</EmptyState>
      ) : (
        <Table label="Change list">
          <THead>
            <tr>
              <TH>When</TH>
              <TH>What</TH>
              <TH className="hidden md:table-cell">Target</TH>
              <TH className="hidden sm:table-cell">Who</TH>
              <TH className="hidden lg:table-cell">Details</TH>
            </tr>
          </THead>
          <TBody>
            {list.items.map((e) => {
              const details = auditDetails(e);
              return (
                <TR key={e.id} className={cn("align-top", list.arrived.has(e.id) && "bg-sky-50")}>
                  <TD className="whitespace-nowrap">
                    <RelativeTime iso={e.occurred_at} />
                    <div className="mt-1">
                      <OutcomeBadge outcome={e.outcome} />
                    </div>
                  </TD>
                  <TD>
                    <div className="font-medium text-zinc-900">{actionLabel(e.action)}</div>
                    <div className="font-mono text-xs text-zinc-600">{e.action}</div>
                    <div className="mt-1 space-y-0.5 text-xs text-zinc-700 sm:hidden">
                      <div>{e.actor_label ?? ACTOR_TYPES[e.actor_type] ?? e.actor_type}</div>
                      {e.target_id && <div className="font-mono break-all">{e.target_id}</div>}
                    </div>
                    {details.length > 0 && (
                      <div className="mt-1 lg:hidden">
                        <Details pairs={details} />
                      </div>
                    )}
                  </TD>
                  <TD className="hidden md:table-cell">
                    <Target e={e} />
                  </TD>
                  <TD className="hidden sm:table-cell">
                    <div className="break-all">{e.actor_label ?? "—"}</div>
                    <div className="text-xs text-zinc-600">{ACTOR_TYPES[e.actor_type] ?? e.actor_type}</div>
                  </TD>
                  <TD className="hidden max-w-80 lg:table-cell">
                    <Details pairs={details} />
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun="entries" />
    </>
  );
}
