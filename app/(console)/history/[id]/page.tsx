import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ClaimsTable } from "@/components/history/claims-table";
import { formatInstant } from "@/components/history/format";
import { OutcomeBadge } from "@/components/history/outcome-badge";
import { RelativeTime } from "@/components/history/relative-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { CardContent, SectionCard } from "@/components/ui/card";
import { Code, CopyableCode, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TextLink } from "@/components/ui/text-link";
import { getAuthEvent, type AuthEventDto } from "@/lib/services/history";
import { pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";
import { explainReason, type ReasonExplanation } from "@/lib/insight/explain-reason";

export const metadata: Metadata = { title: "Exchange" };

const SIDES: Record<ReasonExplanation["side"], string> = {
  request: "The workload's request: the values it sends with the token (its environment variables)",
  token: "The identity token: how the workload or its identity provider obtains it",
  configuration: "This server's configuration: the issuer or the rule",
};

/** A resource reference: its name linking to its page, the ID beside it; or a dash. */
function Ref({ href, name, id }: { href: string; name: string | null; id: string | null }): ReactNode {
  if (!id) return <span className="text-zinc-600">—</span>;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      <TextLink href={`${href}${id}`}>{name ?? id}</TextLink>
      {name && <Code>{id}</Code>}
    </span>
  );
}

/** Whether the token tester can replay this decision from what the history kept. */
const testable = (e: AuthEventDto) => !!e.claims && !("_truncated" in e.claims) && !!e.federation_rule_id;

export default async function AuthEventPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const event = await orNotFound(getAuthEvent(ctx, (await params).id));
  const why = event.reason ? explainReason(event.reason) : null;

  return (
    <>
      <PageHeader
        title={why ? `Denied: ${why.title}` : "Granted"}
        back={{ href: "/history", label: "History" }}
        meta={
          <>
            <OutcomeBadge outcome={event.outcome} />
            {event.reason && <Badge>{event.reason}</Badge>}
            <span className="text-sm text-zinc-600">
              <RelativeTime iso={event.occurred_at} />
            </span>
          </>
        }
        actions={
          testable(event) && (
            <ButtonLink href={`/tester?event=${encodeURIComponent(event.id)}`} variant="primary">
              Open in token tester
            </ButtonLink>
          )
        }
      />
      <div className="space-y-6">
        {why && (
          <SectionCard id="event-why" title="Why it was denied" description="The workload was told only “Authentication failed”; this is the reason the server recorded.">
            <DescriptionList
              items={[
                { label: "What happened", value: why.explanation },
                { label: "What the server found", value: event.detail ? <Code>{event.detail}</Code> : "—" },
                { label: "How to fix it", value: why.fix },
                { label: "Who has to act", value: SIDES[why.side] },
              ]}
            />
          </SectionCard>
        )}

        <SectionCard id="event-exchange" title="Exchange">
          <DescriptionList
            items={[
              { label: "Time", value: formatInstant(event.occurred_at) },
              { label: "Request ID", value: <CopyableCode value={event.request_id} context="request ID" /> },
              { label: "Subject (sub)", value: event.subject ? <Code>{event.subject}</Code> : "—" },
              { label: "Rule", value: <Ref href="/rules/" name={event.federation_rule_name} id={event.federation_rule_id} /> },
              { label: "Issuer", value: <Ref href="/issuers/" name={event.issuer_name} id={event.issuer_id} /> },
              { label: "Service account", value: <Ref href="/service-accounts/" name={event.service_account_name} id={event.service_account_id} /> },
              { label: "Workspace", value: <Ref href="/workspaces/" name={event.workspace_name} id={event.workspace_id} /> },
              { label: "Client address", value: event.client_ip ?? "—" },
            ]}
          />
          <CardContent className="flex flex-wrap gap-x-4 gap-y-2 border-t border-zinc-200 text-sm">
            {event.subject && <TextLink href={`/history?${new URLSearchParams({ q: event.subject })}`}>Exchanges with this subject</TextLink>}
            {event.federation_rule_id && <TextLink href={`/history?${new URLSearchParams({ federation_rule_id: event.federation_rule_id })}`}>Exchanges on this rule</TextLink>}
          </CardContent>
        </SectionCard>

        <SectionCard id="event-claims" title="Token claims" description={event.claims ? "What the presented token said about the workload. The token itself is never stored." : undefined}>
          {event.claims && !event.claims_verified && (
            <CardContent className="pb-0">
              <Alert tone="warning" title="Not verified">
                The token&apos;s signature did not verify (or the exchange stopped before checking it), so these claims are what the token said, not proven.
              </Alert>
            </CardContent>
          )}
          {event.claims && "_truncated" in event.claims && (
            <CardContent className="pb-0">
              <Alert tone="info">Some of the token&apos;s claims were longer, deeper or more numerous than the history keeps; they were cut, and _truncated lists where.</Alert>
            </CardContent>
          )}
          {event.claims ? (
            <div className={event.claims_verified ? undefined : "mt-4"}>
              <ClaimsTable claims={event.claims} />
            </div>
          ) : event.claims_unreadable ? (
            <EmptyState title="Claims unreadable">The claims stored for this exchange are damaged (an older version cut them) and cannot be shown; the rest of the entry is intact.</EmptyState>
          ) : (
            <EmptyState title="No claims recorded">The exchange was refused before the token could be read (for example, an unknown rule or a malformed request).</EmptyState>
          )}
        </SectionCard>
      </div>
    </>
  );
}
