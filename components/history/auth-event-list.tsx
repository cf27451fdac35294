"use client";

import type { ReactNode } from "react";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { TextLink } from "@/components/ui/text-link";
import type { AuthEventDto } from "@/lib/services/history";
import type { PageResult } from "@/lib/store/paginate";
import { Breakable } from "./breakable";
import { LiveTable } from "./live-table";
import { OutcomeBadge } from "./outcome-badge";
import { RelativeTime } from "./relative-time";


const Muted = ({ children }: { children: ReactNode }) => <span className="text-zinc-600">{children}</span>;

/** A name with its ID as the tooltip, or the bare ID when the resource is gone, or a dash. */
function Named({ name, id }: { name: string | null; id: string | null }) {
  if (!id) return <Muted>—</Muted>;
  return name ? <span title={id}>{name}</span> : <span className="font-mono text-[12.5px] break-all">{id}</span>;
}

/** A name, and below it in small print another (rule · issuer, service account · workspace). */
function NamePair({ name, id, under }: { name: string | null; id: string | null; under: { name: string | null; id: string | null } }) {
  return (
    <>
      <Named name={name} id={id} />
      <div className="text-xs text-zinc-600">
        <Named name={under.name} id={under.id} />
      </div>
    </>
  );
}

const COLUMNS: Array<Column<AuthEventDto>> = [
  {
    header: "When",
    className: "whitespace-nowrap",
    cell: (e) => (
      <>
        <TextLink href={`/history/${e.id}`}>
          <RelativeTime iso={e.occurred_at} />
          <span className="sr-only">, details</span>
        </TextLink>
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
      </>
    ),
  },
  { header: "Outcome", cell: (e) => <OutcomeBadge outcome={e.outcome} /> },
  {
    header: "Reason",
    from: "sm",
    cell: (e) => (
      <>
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
      </>
    ),
  },
  { header: "Subject", from: "md", className: "max-w-64 font-mono text-[12.5px] [overflow-wrap:anywhere]", cell: (e) => (e.subject ? <Breakable text={e.subject} /> : <Muted>—</Muted>) },
  {
    header: "Rule · issuer",
    from: "lg",
    cell: (e) => <NamePair name={e.federation_rule_name} id={e.federation_rule_id} under={{ name: e.issuer_name, id: e.issuer_id }} />,
  },
  {
    header: "Service account · workspace",
    from: "lg",
    cell: (e) => <NamePair name={e.service_account_name} id={e.service_account_id} under={{ name: e.workspace_name, id: e.workspace_id }} />,
  },
];

/** Token exchanges, newest first, with "Load more" and live refresh. `filters` are the URL's, already valid. */
export function AuthEventList({ initial, filters, version, filtered }: { initial: PageResult<AuthEventDto>; filters: Record<string, string>; version: string; filtered: boolean }) {
  return (
    <LiveTable
      endpoint="/history/events"
      filters={filters}
      initial={initial}
      version={version}
      label="Exchange list"
      nouns={["exchange", "exchanges"]}
      columns={COLUMNS}
      empty={
        <EmptyState title={filtered ? "No exchanges match these filters" : "No exchanges yet"}>
          {filtered ? "Widen the time range or clear a filter. New matching exchanges appear here as they happen." : "Every call to POST /v1/oauth/token appears here within seconds, granted or denied, with the reason."}
        </EmptyState>
      }
    />
  );
}
