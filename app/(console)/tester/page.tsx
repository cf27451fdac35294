import type { Metadata } from "next";
import { formatDateTime } from "@/components/resources/format";
import { TesterWorkbench } from "@/components/tester/tester-workbench";
import { TriggerMatrixTable } from "@/components/tester/trigger-matrix";
import { Alert } from "@/components/ui/alert";
import { SectionCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { TextLink } from "@/components/ui/text-link";
import { listRules } from "@/lib/services/rules";
import { findLiveIssuerId, testRecordedEvent, type RecordedTestResult } from "@/lib/services/token-tester";
import { demoIssuerUrl } from "@/lib/demo/issuer";
import { ApiError } from "@/lib/core/errors";
import { ruleTriggerMatrix } from "@/lib/insight/github-triggers";
import { canEdit, pageContext } from "@/lib/console/auth";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Token tester" };

const param = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function TesterPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("viewer");
  const runtime = await getRuntime();
  const query = await searchParams;
  const rules = (await listRules(ctx, { limit: "1000" })).data;
  const requestedRule = param(query.rule);
  const preselected = rules.find((r) => r.id === requestedRule);
  const demoUrl = demoIssuerUrl(runtime.publicUrl);
  const demoIssuerId = await findLiveIssuerId(ctx, demoUrl);

  // ?event=<auth event id>: the claims a history entry recorded, checked against its rule.
  const eventId = param(query.event);
  let recorded: RecordedTestResult | undefined;
  let eventError: string | undefined;
  if (eventId) {
    try {
      recorded = await testRecordedEvent(ctx, { event_id: eventId, rule_id: preselected?.id ?? "" }, runtime);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      eventError = err.message;
    }
  }

  // A preselected rule on a GitHub-shaped issuer: which triggers it admits, before any token.
  let matrix = null;
  if (preselected && !recorded) {
    const issuer = await ctx.db.selectFrom("federation_issuers").select("issuer_url").where("id", "=", preselected.issuer_id).executeTakeFirst();
    if (issuer) matrix = ruleTriggerMatrix(issuer.issuer_url, preselected.match, { defaultAudience: ctx.config.defaultAudience, demoIssuerUrl: demoUrl });
  }

  const event = recorded?.event;
  return (
    <>
      <PageHeader
        title="Token tester"
        description="See what the token endpoint would decide about an identity token, check by check: decoded claims, signature, every condition of the rule with what was found and what was expected."
      />
      {requestedRule && !preselected && <Alert tone="warning" className="mb-6">Rule {requestedRule} is not a live rule of this organization; choose one below.</Alert>}
      {eventError && (
        <Alert tone="error" className="mb-6" title="This history entry cannot be tested">
          {eventError}
        </Alert>
      )}
      <TesterWorkbench
        rules={rules.map((r) => ({ id: r.id, name: r.name, issuerName: r.issuer_name, audience: r.match.audience }))}
        initialRuleId={preselected?.id ?? (event?.federation_rule_id && rules.some((r) => r.id === event.federation_rule_id) ? event.federation_rule_id : "")}
        defaultAudience={ctx.config.defaultAudience}
        publicUrl={runtime.publicUrl}
        demoIssuerUrl={demoUrl}
        demoIssuerId={demoIssuerId}
        canEdit={canEdit(ctx.user)}
        initialReport={recorded?.report}
        initialContext={
          event ? (
            <Alert tone="info" title="Claims from the history">
              Entry of {formatDateTime(event.occurred_at)} (request-id{" "}
              <TextLink href={`/history?request_id=${encodeURIComponent(event.request_id)}`} className="font-mono">
                {event.request_id}
              </TextLink>
              ), {event.outcome}
              {event.reason ? `: ${event.reason_title ?? event.reason}` : ""}. Paste the token itself to test its signature and everything else.
            </Alert>
          ) : matrix && preselected ? (
            <SectionCard
              id="matrix-heading"
              title={`Which GitHub triggers ${preselected.name} admits`}
              description="Synthetic tokens for each trigger, run through the same matcher as the token endpoint."
            >
              <TriggerMatrixTable matrix={matrix} label={`GitHub triggers of rule ${preselected.name}`} />
            </SectionCard>
          ) : undefined
        }
      />
    </>
  );
}
