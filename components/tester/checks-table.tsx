/** A rule's checks as the tester shows them: each one's status, the found and the expected value, and for a failure what it means and how to fix it. */
import { formatDateTime } from "@/components/resources/format";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CheckStatus, TesterCheck } from "@/lib/insight/tester";

/** A claim value as found or expected: strings as they are, anything else as JSON, a missing claim as "absent". */
export function ClaimValue({ value, missing = "absent" }: { value: unknown; missing?: string }) {
  if (value === undefined) return <span className="text-zinc-500 italic">{missing}</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return <code className="font-mono text-[12.5px] break-all whitespace-pre-wrap text-zinc-900">{text}</code>;
}

const STATUS: Record<CheckStatus, { label: string; tone: BadgeTone }> = {
  pass: { label: "Pass", tone: "green" },
  fail: { label: "Fail", tone: "red" },
  skip: { label: "Not checked", tone: "neutral" },
};

function StatusBadge({ status }: { status: CheckStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}

/** What went wrong, why it matters and what to change, beside a failed check. */
function FailureDetails({ check }: { check: TesterCheck }) {
  return (
    <div className="space-y-1.5 text-sm">
      {check.explanation && (
        <p>
          <span className="font-medium text-zinc-900">{check.explanation.title}.</span> {check.explanation.explanation}
        </p>
      )}
      {check.explanation && (
        <p>
          <span className="font-medium text-zinc-900">Fix:</span> {check.explanation.fix}
        </p>
      )}
      {check.hints.length > 0 && (
        <ul className="list-disc space-y-1 pl-5 text-amber-900">
          {check.hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Found/expected, with a readable date beside numeric times. */
function CheckValue({ check, which }: { check: TesterCheck; which: "found" | "expected" }) {
  const value = check[which];
  if (value === undefined && (which === "expected" || check.status === "skip")) return <>—</>;
  const isTime = which === "found" && check.stage === "claims" && check.key !== "lifetime" && typeof value === "number";
  return (
    <>
      <ClaimValue value={value} />
      {isTime && <span className="block text-xs text-zinc-600">{formatDateTime(new Date((value as number) * 1000).toISOString())}</span>}
    </>
  );
}

/**
 * Every check of the exchange with its result: a table from small screens up; on phones a
 * list, so found, expected and the fix are readable without scrolling sideways.
 */
export function ChecksTable({ checks, label }: { checks: TesterCheck[]; label: string }) {
  return (
    <>
      <ul aria-label={label} className="divide-y divide-zinc-200 border-t border-zinc-200 sm:hidden">
        {checks.map((c) => (
          <li key={c.key} className={c.status === "fail" ? "bg-red-50/40 px-4 py-3" : "px-4 py-3"}>
            <div className="flex items-start justify-between gap-3">
              <p className="font-medium text-zinc-900">{c.label}</p>
              <StatusBadge status={c.status} />
            </div>
            <p className="mt-0.5 text-[13px] break-words text-zinc-600">{c.message}</p>
            {c.status !== "skip" && (
              <dl className="mt-2 grid grid-cols-[5rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-sm">
                <dt className="text-zinc-600">Found</dt>
                <dd>
                  <CheckValue check={c} which="found" />
                </dd>
                <dt className="text-zinc-600">Expected</dt>
                <dd>
                  <CheckValue check={c} which="expected" />
                </dd>
              </dl>
            )}
            {c.status === "fail" && (
              <div className="mt-2">
                {c.reason && <p className="mb-1 font-mono text-xs text-red-800">{c.reason}</p>}
                <FailureDetails check={c} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <div className="hidden sm:block">
        <Table label={label} className="min-w-[44rem]">
          <THead>
            <tr>
              <TH>Check</TH>
              <TH>Result</TH>
              <TH>Found</TH>
              <TH>Expected</TH>
            </tr>
          </THead>
          <TBody>
            {checks.map((c) => {
              const row = (
                <TR key={c.key} className={c.status === "fail" ? "bg-red-50/40" : undefined}>
                  <TD className="w-[30%] align-top">
                    <p className="font-medium text-zinc-900">{c.label}</p>
                    <p className="mt-0.5 text-[13px] text-zinc-600">{c.message}</p>
                    {c.status === "fail" && c.reason && <p className="mt-1 font-mono text-xs text-red-800">{c.reason}</p>}
                  </TD>
                  <TD className="align-top">
                    <StatusBadge status={c.status} />
                  </TD>
                  <TD className="max-w-72 align-top">
                    <CheckValue check={c} which="found" />
                  </TD>
                  <TD className="max-w-72 align-top">
                    <CheckValue check={c} which="expected" />
                  </TD>
                </TR>
              );
              if (c.status !== "fail") return row;
              return [
                row,
                <tr key={`${c.key}-details`} className="bg-red-50/40">
                  <td colSpan={4} className="border-t-0 px-4 pb-3 sm:pl-5">
                    <FailureDetails check={c} />
                  </td>
                </tr>,
              ];
            })}
          </TBody>
        </Table>
      </div>
    </>
  );
}
