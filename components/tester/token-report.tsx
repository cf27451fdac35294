/** The tester's report: decoded token, verification, and each rule's checks with found vs expected. */
import Link from "next/link";
import type { ReactNode } from "react";
import { formatDateTime, formatSeconds } from "@/components/resources/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Code } from "@/components/ui/description-list";
import type { RuleReport, RuleVerdict, TokenReport } from "@/lib/insight/tester";
import { ChecksTable, ClaimValue } from "./checks-table";
import { TriggerMatrixTable } from "./trigger-matrix";

const link = "font-medium text-brand-700 hover:underline";

export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    // Focusable so a keyboard can scroll it; a labelled region so it is announced as what it holds.
    <pre role="region" aria-label={label} tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-[12.5px] leading-5 whitespace-pre-wrap text-zinc-100 [overflow-wrap:anywhere]">
      {JSON.stringify(value, null, 2)}
    </pre>
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
