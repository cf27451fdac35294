/** The tester's report: decoded token, verification, and each rule's checks with found vs expected. */
import Link from "next/link";
import type { ReactNode } from "react";
import { formatDateTime, formatSeconds } from "@/components/resources/format";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Code } from "@/components/ui/description-list";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CheckStatus, RuleReport, RuleVerdict, TesterCheck, TokenReport } from "@/lib/insight/tester";
import { TriggerMatrixTable } from "./trigger-matrix";

const link = "font-medium text-brand-700 hover:underline";

/** A claim value as found or expected: strings as they are, anything else as JSON, a missing claim as "absent". */
export function ClaimValue({ value, missing = "absent" }: { value: unknown; missing?: string }) {
  if (value === undefined) return <span className="text-zinc-500 italic">{missing}</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return <code className="font-mono text-[12.5px] break-all whitespace-pre-wrap text-zinc-900">{text}</code>;
}

export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    // Focusable so a keyboard can scroll it; a labelled region so it is announced as what it holds.
    <pre role="region" aria-label={label} tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-[12.5px] leading-5 whitespace-pre-wrap text-zinc-100 [overflow-wrap:anywhere]">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
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

function Verdict({ verdict }: { verdict: RuleVerdict }) {
  switch (verdict.outcome) {
    case "granted":
      return (
        <Alert tone="success" title="The exchange would grant an access token">
          Scope <Code>{verdict.scope}</Code> in workspace <Code>{verdict.workspaceId}</Code> for {formatSeconds(verdict.expiresIn)}, as service account <Code>{verdict.serviceAccountId}</Code>.
          <LifetimeNote seconds={verdict.expiresIn} configured={verdict.configuredLifetimeSeconds} reason={verdict.lifetimeReason} />
        </Alert>
      );
    case "denied":
      return (
        <RefusalAlert title={`The exchange would refuse it: ${verdict.explanation.title}`} reason={verdict.reason} explanation={verdict.explanation} detail={verdict.detail} />
      );
    case "claims_pass":
      return <Alert tone="info" title="The recorded claims pass every check that can run without the token">Signature, single use and the target are not checked here.</Alert>;
    case "claims_fail":
      return (
        <RefusalAlert title={`These claims would be refused: ${verdict.explanation.title}`} reason={verdict.reason} explanation={verdict.explanation} />
      );
  }
}

function verdictBadge(verdict: RuleVerdict): ReactNode {
  if (verdict.outcome === "granted" || verdict.outcome === "claims_pass") return <Badge tone="green">{verdict.outcome === "granted" ? "Granted" : "Claims pass"}</Badge>;
  return <Badge tone="red">{verdict.reason}</Badge>;
}

function RuleSection({ rule, index }: { rule: RuleReport; index: number }) {
  const headingId = `rule-report-${index}`;
  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        title={
          <span className="flex flex-wrap items-center gap-2">
            Rule{" "}
            <Link href={`/rules/${rule.ruleId}`} className={link}>
              {rule.ruleName}
            </Link>
            {verdictBadge(rule.verdict)}
          </span>
        }
        description={
          <>
            Grants <Code>{rule.oauthScope}</Code> to <Code>{rule.serviceAccountId}</Code>
          </>
        }
      />
      <CardContent>
        <Verdict verdict={rule.verdict} />
      </CardContent>
      <ChecksTable checks={rule.checks} label={`Checks of rule ${rule.ruleName}`} />
      {rule.triggerMatrix && (
        <div className="border-t border-zinc-200">
          <div className="px-4 pt-4 sm:px-5">
            <h3 className="text-sm font-semibold text-zinc-900">Which GitHub triggers this rule admits</h3>
            <p className="mt-0.5 text-[13px] text-zinc-600">Synthetic tokens for each trigger, run through the same matcher.</p>
          </div>
          <TriggerMatrixTable matrix={rule.triggerMatrix} label={`GitHub triggers of rule ${rule.ruleName}`} />
        </div>
      )}
    </Card>
  );
}

function Times({ report }: { report: TokenReport }) {
  if (report.times.length === 0) return null;
  return (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
      {report.times.map((t) => (
        <div key={t.claim} className="contents">
          <dt className="font-mono text-zinc-600">{t.claim}</dt>
          <dd className="text-zinc-900">
            {t.iso ? (
              <>
                {formatDateTime(t.iso)} <span className="text-zinc-600">({t.relative})</span>
              </>
            ) : (
              <span>
                <ClaimValue value={t.value} /> <span className="text-red-800">not a number</span>
              </span>
            )}
          </dd>
        </div>
      ))}
      {report.lifetimeSeconds !== null && (
        <div className="contents">
          <dt className="text-zinc-600">lifetime</dt>
          <dd className="text-zinc-900">{formatSeconds(Math.max(0, report.lifetimeSeconds))} (exp − iat)</dd>
        </div>
      )}
    </dl>
  );
}

function IssuerLine({ report }: { report: TokenReport }) {
  const issuer = report.issuer;
  if (!issuer) return null;
  if (issuer.status === "registered") {
    return (
      <p className="text-sm">
        Registered as issuer{" "}
        <Link href={`/issuers/${issuer.id}`} className={link}>
          {issuer.name}
        </Link>{" "}
        <span className="text-zinc-600">
          (single use {issuer.checkJti ? "enforced" : "off"}, tokens may live up to {formatSeconds(issuer.maxJwtLifetimeSeconds)})
        </span>
      </p>
    );
  }
  return (
    <div className="space-y-1 text-sm">
      <p className="text-amber-900">No live issuer is registered with this iss.</p>
      {issuer.nearMisses.map((m) => (
        <p key={m.id} className="text-amber-900">
          Issuer{" "}
          <Link href={`/issuers/${m.id}`} className={link}>
            {m.name}
          </Link>{" "}
          (<Code>{m.issuerUrl}</Code>) {m.difference}: the issuer URL must equal iss byte for byte.
        </p>
      ))}
    </div>
  );
}

export function TokenReportView({ report }: { report: TokenReport }) {
  if (report.malformed) {
    return (
      <Alert tone="error" title={`Not a token the exchange can read: ${report.malformed.explanation.title}`}>
        <p>{report.malformed.detail}.</p>
        <p className="mt-1">
          <span className="font-medium">Fix:</span> {report.malformed.explanation.fix}
        </p>
        {report.malformed.hints.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {report.malformed.hints.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        )}
      </Alert>
    );
  }
  const decoded = report.decoded!;
  return (
    <div className="space-y-6">
      {report.notes.length > 0 && (
        <Alert tone="info">
          <ul className="space-y-1">
            {report.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Alert>
      )}

      {report.rules.map((rule, i) => (
        <RuleSection key={rule.ruleId} rule={rule} index={i} />
      ))}

      <Card aria-labelledby="decoded-heading">
        <CardHeader
          id="decoded-heading"
          title="Decoded token"
          description={report.source === "recorded" ? "Claims recorded in the history; the token itself is never kept." : "Decoded without trusting it: the checks say what holds."}
        />
        <CardContent className="space-y-4">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="text-zinc-600">Provider:</span>
            {report.provider ? (
              <>
                <Badge tone="brand">{report.provider.label}</Badge>
                {report.provider.certainty === "heuristic" && <span className="text-zinc-600">(a guess from the host name or claims)</span>}
                {Object.entries(report.provider.details).map(([k, v]) => (
                  <span key={k} className="text-zinc-700">
                    {k.replace(/_/g, " ")} <Code>{v}</Code>
                  </span>
                ))}
              </>
            ) : (
              <span className="text-zinc-700">not recognised from iss</span>
            )}
          </div>
          {report.provider?.note && <p className="text-sm text-zinc-700">{report.provider.note}</p>}
          <IssuerLine report={report} />
          <Times report={report} />
          <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
            {decoded.header && (
              <div>
                <h3 className="mb-1.5 text-sm font-medium text-zinc-900">Header</h3>
                <JsonBlock value={decoded.header} label="Token header" />
              </div>
            )}
            <div>
              <h3 className="mb-1.5 text-sm font-medium text-zinc-900">Claims</h3>
              <JsonBlock value={decoded.claims} label="Token claims" />
            </div>
          </div>
        </CardContent>
      </Card>

      {/* Each rule's table already shows the signature rows; alone, they answer "does it verify at all?". */}
      {report.verification.length > 0 && report.rules.length === 0 && (
        <Card aria-labelledby="verification-heading">
          <CardHeader
            id="verification-heading"
            title="Signature"
            description={report.issuer?.status === "registered" ? `Against the keys of issuer ${report.issuer.name}.` : "Not available for recorded claims."}
          />
          <ChecksTable checks={report.verification} label="Signature checks" />
        </Card>
      )}
    </div>
  );
}

/** The effective lifetime beside the configured one, with the reason when it is shorter. */
export function LifetimeNote({ seconds, configured, reason }: { seconds: number; configured: number; reason: string | null }) {
  if (seconds >= configured || !reason) return null;
  return (
    <span className="mt-1 block">
      Effective lifetime {formatSeconds(seconds)}, shorter than the rule&apos;s {formatSeconds(configured)}: {reason}.
    </span>
  );
}

/** A refusal: what the server found (with its reason code), what happened exactly, and the fix. */
function RefusalAlert({ title, reason, explanation, detail }: { title: string; reason: string; explanation: { explanation: string; fix: string }; detail?: string }) {
  return (
    <Alert tone="error" title={title}>
      <p>
        {explanation.explanation} <span className="font-mono text-xs">({reason})</span>
      </p>
      {detail && (
        <p className="mt-1 break-words">
          <span className="font-medium">What happened:</span> {detail}
        </p>
      )}
      <p className="mt-1">
        <span className="font-medium">Fix:</span> {explanation.fix}
      </p>
    </Alert>
  );
}
