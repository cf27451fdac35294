/** Which GitHub triggers a rule admits, one row per trigger. */
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { TriggerMatrix } from "@/lib/insight/github-triggers";

export function TriggerMatrixTable({ matrix, label }: { matrix: TriggerMatrix; label: string }) {
  return (
    <>
      <ul aria-label={label} className="divide-y divide-zinc-200 border-t border-zinc-200 sm:hidden">
        {matrix.rows.map((r) => (
          <li key={`${r.trigger}-${r.label}`} className="px-4 py-3">
            <div className="flex items-start justify-between gap-3">
              <p className="font-medium text-zinc-900">{r.label}</p>
              {r.admitted ? <Badge tone={r.warning ? "amber" : "green"}>Admitted</Badge> : <Badge>Refused</Badge>}
            </div>
            <code className="mt-1 block font-mono text-[12.5px] break-all text-zinc-800">{r.subject}</code>
            {(r.admitted ? r.warning : r.failed?.message) && <p className="mt-1 text-[13px] break-words text-zinc-700">{r.admitted ? r.warning : r.failed?.message}</p>}
          </li>
        ))}
      </ul>
      <div className="hidden sm:block">
        <Table label={label} className="min-w-[40rem]">
          <THead>
            <tr>
              <TH>Trigger</TH>
              <TH>Subject GitHub sends</TH>
              <TH>Admitted</TH>
              <TH>Why</TH>
            </tr>
          </THead>
          <TBody>
            {matrix.rows.map((r) => (
              <TR key={`${r.trigger}-${r.label}`}>
                <TD className="font-medium text-zinc-900">{r.label}</TD>
                <TD className="max-w-80">
                  <code className="font-mono text-[12.5px] break-all">{r.subject}</code>
                </TD>
                <TD>{r.admitted ? <Badge tone={r.warning ? "amber" : "green"}>Admitted</Badge> : <Badge>Refused</Badge>}</TD>
                <TD className="max-w-96 text-[13px] text-zinc-700">{r.admitted ? (r.warning ?? "—") : r.failed?.message}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <ul className="list-disc space-y-0.5 px-4 pt-2 pb-4 pl-8 text-[13px] text-zinc-600 sm:px-5 sm:pl-9">
        {matrix.assumptions.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </>
  );
}
