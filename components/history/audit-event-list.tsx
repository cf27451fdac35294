"use client";

import Link from "next/link";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { AuditEventDto } from "@/lib/services/history";
import type { PageResult } from "@/lib/store/paginate";
import { actionLabel, auditDetails, targetHref } from "./format";
import { LiveTable } from "./live-table";
import { OutcomeBadge } from "./outcome-badge";
import { RelativeTime } from "./relative-time";


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

const COLUMNS: Array<Column<AuditEventDto>> = [
  {
    header: "When",
    className: "whitespace-nowrap",
    cell: (e) => (
      <>
        <RelativeTime iso={e.occurred_at} />
        <div className="mt-1">
          <OutcomeBadge outcome={e.outcome} />
        </div>
      </>
    ),
  },
  {
    header: "What",
    cell: (e) => {
      const details = auditDetails(e);
      return (
        <>
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
        </>
      );
    },
  },
  { header: "Target", from: "md", cell: (e) => <Target e={e} /> },
  {
    header: "Who",
    from: "sm",
    cell: (e) => (
      <>
        <div className="break-all">{e.actor_label ?? "—"}</div>
        <div className="text-xs text-zinc-600">{ACTOR_TYPES[e.actor_type] ?? e.actor_type}</div>
      </>
    ),
  },
  { header: "Details", from: "lg", className: "max-w-80", cell: (e) => <Details pairs={auditDetails(e)} /> },
];

/** Configuration changes (and, when asked, every Admin API request), newest first, live. */
export function AuditEventList({ initial, filters, version }: { initial: PageResult<AuditEventDto>; filters: Record<string, string>; version: string }) {
  return (
    <LiveTable
      endpoint="/history/audit"
      filters={filters}
      initial={initial}
      version={version}
      label="Change list"
      nouns={["entry", "entries"]}
      columns={COLUMNS}
      empty={<EmptyState title="No changes yet">Creating, updating or archiving issuers, rules, service accounts, workspaces, keys and users is recorded here.</EmptyState>}
    />
  );
}
