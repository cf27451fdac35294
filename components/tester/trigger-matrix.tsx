/** Which GitHub triggers a rule admits, one row per trigger. */
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { TriggerMatrix } from "@/lib/insight/github-triggers";

type Row = TriggerMatrix["rows"][number];

const rowKey = (r: Row) => `${r.trigger}-${r.label}`;

function Verdict({ row }: { row: Row }) {
  return row.admitted ? <Badge tone={row.warning ? "amber" : "green"}>Admitted</Badge> : <Badge>Refused</Badge>;
}

export function TriggerMatrixTable({ matrix, label }: { matrix: TriggerMatrix; label: string }) {
  return (
    <>
      <ul aria-label={label} className="divide-y divide-zinc-200 border-t border-zinc-200 sm:hidden">
        {matrix.rows.map((r) => (
          <li key={rowKey(r)} className="px-4 py-3">
            <div className="flex items-start justify-between gap-3">
              <p className="font-medium text-zinc-900">{r.label}</p>
              <Verdict row={r} />
            </div>
            <code className="mt-1 block font-mono text-[12.5px] break-all text-zinc-800">{r.subject}</code>
            {(r.admitted ? r.warning : r.failed?.message) && <p className="mt-1 text-[13px] break-words text-zinc-700">{r.admitted ? r.warning : r.failed?.message}</p>}
          </li>
        ))}
      </ul>
      <div className="hidden sm:block">
        <DataTable
          label={label}
          className="min-w-[40rem]"
          rows={matrix.rows}
          rowKey={rowKey}
          columns={[
            { header: "Trigger", className: "font-medium text-zinc-900", cell: (r) => r.label },
            { header: "Subject GitHub sends", className: "max-w-80", cell: (r) => <code className="font-mono text-[12.5px] break-all">{r.subject}</code> },
            { header: "Admitted", cell: (r) => <Verdict row={r} /> },
            { header: "Why", className: "max-w-96 text-[13px] text-zinc-700", cell: (r) => (r.admitted ? (r.warning ?? "—") : r.failed?.message) },
          ]}
        />
      </div>
      <ul className="list-disc space-y-0.5 px-4 pt-2 pb-4 pl-8 text-[13px] text-zinc-600 sm:px-5 sm:pl-9">
        {matrix.assumptions.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </>
  );
}
