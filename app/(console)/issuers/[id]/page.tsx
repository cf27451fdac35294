import type { Metadata } from "next";
import { ResourceHeader } from "@/components/resources/resource-header";
import { ResumePollingButton } from "@/components/issuers/issuer-actions";
import { KeyHealthBadge } from "@/components/issuers/key-health";
import { ruleColumn, scopeColumn } from "@/components/resources/columns";
import { formatDateTime, formatSeconds, JWKS_LABELS, lifecycleItems } from "@/components/resources/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { SectionCard } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Code, CopyableCode, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import type { IssuerDto } from "@/lib/services/dto";
import { getIssuerWithHealth } from "@/lib/services/issuers";
import { listRules } from "@/lib/services/rules";
import { canEdit, pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";

export const metadata: Metadata = { title: "Issuer" };

function keySettings(jwks: IssuerDto["jwks"], issuerUrl: string) {
  switch (jwks.type) {
    case "discovery":
      return [
        { label: "Discovery document", value: <Code>{`${(jwks.discovery_base ?? issuerUrl).replace(/\/+$/, "")}/.well-known/openid-configuration`}</Code> },
        ...(jwks.ca_cert_pem ? [{ label: "CA certificate", value: "Custom CA (PEM)" }] : []),
      ];
    case "explicit_url":
      return [{ label: "JWKS URL", value: <Code>{jwks.url}</Code> }, ...(jwks.ca_cert_pem ? [{ label: "CA certificate", value: "Custom CA (PEM)" }] : [])];
    case "inline":
      return [
        {
          label: "Keys",
          value: (
            <ul className="space-y-1">
              {jwks.keys.map((k, i) => (
                <li key={i} className="flex flex-wrap items-center gap-1.5">
                  <Badge>{String(k.kty ?? "?")}</Badge>
                  {typeof k.alg === "string" && <Badge tone="blue">{k.alg}</Badge>}
                  <Code>{typeof k.kid === "string" ? k.kid : "(no kid)"}</Code>
                </li>
              ))}
            </ul>
          ),
        },
      ];
  }
}

export default async function IssuerPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const issuer = await orNotFound(getIssuerWithHealth(ctx, (await params).id));
  const rules = await listRules(ctx, { issuer_id: issuer.id, limit: "100" });
  const editable = canEdit(ctx.user) && !issuer.archived_at;
  const paused = !!issuer.jwks_polling_disabled_at;
  const health = issuer.key_health;

  return (
    <>
      <ResourceHeader
        row={issuer}
        list={{ href: "/issuers", label: "Issuers" }}
        archive="issuer"
        editable={editable}
        badges={
          <>
            <Badge tone="blue">{JWKS_LABELS[issuer.jwks.type]}</Badge>
            <KeyHealthBadge health={issuer.key_health} />
          </>
        }
      />

      <div className="space-y-6">
        {paused && !issuer.archived_at && (
          <Alert tone="warning" title="Key polling is paused">
            <p>
              Fetching this issuer&apos;s keys failed {issuer.poll_status?.consecutive_failures ?? "several"} times in a row, so polling paused itself on{" "}
              {formatDateTime(issuer.jwks_polling_disabled_at)}. Tokens signed with keys the server has not seen are refused until polling resumes.
            </p>
            {health.last_error && (
              <p className="mt-1">
                Last error ({formatDateTime(health.last_failed_at)}): <span className="break-words">{health.last_error}</span>
              </p>
            )}
            {editable && (
              <div className="mt-2">
                <ResumePollingButton id={issuer.id} />
              </div>
            )}
          </Alert>
        )}

        {health.state === "failing" && (
          <Alert tone="error" title="The last key fetch failed">
            <p className="break-words">{health.last_error}</p>
            <p className="mt-1">
              Failed {formatDateTime(health.last_failed_at)}
              {health.consecutive_failures > 1 ? ` (${health.consecutive_failures} times in a row)` : ""}; next try {formatDateTime(health.next_poll_at)}. Until a fetch succeeds, tokens signed with keys this
              server has not seen are refused (jwks_unavailable or unknown_kid). Check that the URL below answers over https from this server and serves the provider&apos;s keys.
            </p>
          </Alert>
        )}

        <SectionCard id="config-heading" title="Configuration">
          <DescriptionList
            items={[
              { label: "Issuer ID", value: <CopyableCode value={issuer.id} label="Copy ID" /> },
              { label: "Issuer URL (iss)", value: <Code>{issuer.issuer_url}</Code> },
              { label: "Key source", value: JWKS_LABELS[issuer.jwks.type] },
              ...keySettings(issuer.jwks, issuer.issuer_url),
              { label: "Single-use tokens (jti)", value: issuer.check_jti ? "Yes: a token with a jti is accepted once" : "No" },
              { label: "Maximum token lifetime", value: `${formatSeconds(issuer.max_jwt_lifetime_seconds)} (${issuer.max_jwt_lifetime_seconds} s)` },
              ...lifecycleItems(issuer),
            ]}
          />
        </SectionCard>

        {issuer.poll_status && (
          <SectionCard id="polling-heading" title="Key polling" description="Keys are fetched in the background so exchanges never wait on the provider.">
            <DescriptionList
              items={[
                {
                  label: "Status",
                  value: paused ? (
                    <Badge tone="amber">Paused since {formatDateTime(issuer.jwks_polling_disabled_at)}</Badge>
                  ) : issuer.archived_at ? (
                    "Stopped (archived)"
                  ) : health.state === "failing" ? (
                    <Badge tone="red">Failing</Badge>
                  ) : health.state === "pending" ? (
                    <Badge>Not fetched yet</Badge>
                  ) : (
                    <Badge tone="green">Active</Badge>
                  ),
                },
                { label: "Last successful fetch", value: formatDateTime(issuer.poll_status.last_fetched_at) },
                ...(health.last_error ? [{ label: "Last error", value: <span className="break-words text-red-800">{health.last_error}</span> }, { label: "Failed at", value: formatDateTime(health.last_failed_at) }] : []),
                { label: "Consecutive failures", value: String(issuer.poll_status.consecutive_failures) },
                { label: "Next poll", value: formatDateTime(issuer.poll_status.next_poll_at) },
              ]}
            />
          </SectionCard>
        )}

        <SectionCard
          id="rules-heading"
          title="Live rules using this issuer"
          description="An issuer with live rules cannot be archived."
          actions={
            editable && (
              <ButtonLink href={`/rules/new?issuer_id=${issuer.id}`} size="sm">
                New rule
              </ButtonLink>
            )
          }
        >
          {rules.data.length === 0 ? (
            <EmptyState title="No live rules">A rule says which of this issuer&apos;s identities may act as which service account.</EmptyState>
          ) : (
            <DataTable
              label="Rules using this issuer"
              rows={rules.data}
              rowKey={(r) => r.id}
              columns={[
                ruleColumn,
                { header: "Service account", cell: (r) => r.target.service_account_name ?? r.target.service_account_id },
                { header: "Subject", from: "md", className: "font-mono text-[12.5px] break-all", cell: (r) => r.match.subject_prefix ?? "—" },
                scopeColumn,
              ]}
            />
          )}
        </SectionCard>
      </div>
    </>
  );
}
