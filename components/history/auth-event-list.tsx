"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { LoadMore } from "@/components/lists/load-more";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AuthEventDto } from "@/lib/services/history";
import type { PageResult } from "@/lib/store/paginate";
import { cn } from "../ui/cn";
import { Breakable } from "./breakable";
import { LiveStatus } from "./live-status";
import { OutcomeBadge } from "./outcome-badge";
import { RelativeTime } from "./relative-time";
import { HISTORY_PAGE_SIZE } from "./page-size";
import { useLiveList } from "./use-live-list";


const Muted = ({ children }: { children: ReactNode }) => <span className="text-zinc-600">{children}</span>;

/** A name with its ID as the tooltip, or the bare ID when the resource is gone, or a dash. */
function Named({ name, id }: { name: string | null; id: string | null }) {
  if (!id) return <Muted>—</Muted>;
  return name ? <span title={id}>{name}</span> : <span className="font-mono text-[12.5px] break-all">{id}</span>;
}

/** Token exchanges, newest first, with "Load more" and live refresh. `filters` are the URL's, already valid. */
export function AuthEventList({ initial, filters, version, filtered }: { initial: PageResult<AuthEventDto>; filters: Record<string, string>; version: string; filtered: boolean }) {
  const list = useLiveList({ endpoint: "/history/events", params: filters, initial, version, pageSize: HISTORY_PAGE_SIZE });
  return (
    <>
      <LiveStatus error={list.liveError} arrived={list.arrived.size} noun={["exchange", "exchanges"]} />
      {list.items.length === 0 ? (
        <EmptyState title={filtered ? "No exchanges match these filters" : "No exchanges yet"}>
          {filtered ? "Widen the time range or clear a filter. New matching exchanges appear here as they happen." : "Every call to POST /v1/oauth/token appears here within seconds, granted or denied, with the reason."}
        </EmptyState>
      ) : (
        <Table label="Exchange list">
          <THead>
            <tr>
              <TH>When</TH>
              <TH>Outcome</TH>
              <TH className="hidden sm:table-cell">Reason</TH>
              <TH className="hidden md:table-cell">Subject</TH>
              <TH className="hidden lg:table-cell">Rule · issuer</TH>
              <TH className="hidden lg:table-cell">Service account · workspace</TH>
            </tr>
          </THead>
          <TBody>
            {list.items.map((e) => (
              <TR key={e.id} className={cn("align-top", list.arrived.has(e.id) && "bg-sky-50")}>
                <TD className="whitespace-nowrap">
                  <Link href={`/history/${e.id}`} className="font-medium text-brand-700 hover:underline">
                    <RelativeTime iso={e.occurred_at} />
                    <span className="sr-only">, details</span>
                  </Link>
                  {/* Phones: what the hidden columns would say. */}
                  <div className="mt-1 space-y-0.5 text-xs whitespace-normal text-zinc-700 sm:hidden">
                    {e.reason_title && <div>{e.reason_title}</div>}
                    {e.subject && (
                      <div className="font-mono [overflow-wrap:anywhere]">
                        <Breakable text={e.subject} />
                      </div>
                    )}
                    {e.federation_rule_id && (
                      <div className="text-zinc-600">
                        {e.federation_rule_name ?? e.federation_rule_id} → {e.service_account_name ?? e.service_account_id}
                      </div>
                    )}
                  </div>
                </TD>
                <TD>
                  <OutcomeBadge outcome={e.outcome} />
                </TD>
                <TD className="hidden sm:table-cell">
                  {e.reason ? (
                    <>
                      <div>{e.reason_title}</div>
                      <div className="font-mono text-xs text-zinc-600">{e.reason}</div>
                    </>
                  ) : (
                    <Muted>—</Muted>
                  )}
                  {e.subject && (
                    <div className="mt-1 font-mono text-xs text-zinc-700 [overflow-wrap:anywhere] md:hidden">
                      <Breakable text={e.subject} />
                    </div>
                  )}
                </TD>
                <TD className="hidden max-w-64 font-mono text-[12.5px] [overflow-wrap:anywhere] md:table-cell">{e.subject ? <Breakable text={e.subject} /> : <Muted>—</Muted>}</TD>
                <TD className="hidden lg:table-cell">
                  <Named name={e.federation_rule_name} id={e.federation_rule_id} />
                  <div className="text-xs text-zinc-600">
                    <Named name={e.issuer_name} id={e.issuer_id} />
                  </div>
                </TD>
                <TD className="hidden lg:table-cell">
                  <Named name={e.service_account_name} id={e.service_account_id} />
                  <div className="text-xs text-zinc-600">
                    <Named name={e.workspace_name} id={e.workspace_id} />
                  </div>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun="exchanges" />
    </>
  );
}
