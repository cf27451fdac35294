import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { SectionCard } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { Icon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { TextLink } from "@/components/ui/text-link";
import { listIssuers } from "@/lib/services/issuers";
import { listRules } from "@/lib/services/rules";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Overview" };

const countOf = (page: { data: unknown[]; has_more: boolean }) => (page.has_more ? `${page.data.length}+` : String(page.data.length));

export default async function OverviewPage() {
  const ctx = await pageContext();
  const [issuers, accounts, rules] = await Promise.all([listIssuers(ctx, { limit: "1000" }), listServiceAccounts(ctx, { limit: "1000" }), listRules(ctx, { limit: "1000" })]);
  const editable = canEdit(ctx.user);
  const paused = issuers.data.filter((i) => i.jwks_polling_disabled_at);

  const stats = [
    { label: "Issuers", value: countOf(issuers), href: "/issuers", icon: "issuer" as const },
    { label: "Service accounts", value: countOf(accounts), href: "/service-accounts", icon: "account" as const },
    { label: "Rules", value: countOf(rules), href: "/rules", icon: "rule" as const },
  ];

  const steps = [
    { done: issuers.data.length > 0, title: "Register an issuer", body: "The OIDC provider your workloads get identity tokens from.", href: "/issuers/new", cta: "New issuer" },
    { done: accounts.data.length > 0, title: "Create a service account", body: "The identity a workload acts as once its token is exchanged.", href: "/service-accounts/new", cta: "New service account" },
    { done: rules.data.length > 0, title: "Add a rule", body: "Which of the issuer's identities may act as the service account, with what scope.", href: "/rules/new", cta: "New rule" },
  ];
  const allDone = steps.every((s) => s.done);
  // A fresh installation starts with the guided setup: it makes all three in one go.
  const fresh = rules.data.length === 0;

  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${ctx.user.name} (${ctx.user.role}).`} />
      <div className="space-y-6">
        <section aria-labelledby="org-heading" className="rounded-lg border border-zinc-200 bg-white p-4 shadow-xs sm:p-5">
          <h2 id="org-heading" className="text-sm font-medium text-zinc-600">
            Organization ID
          </h2>
          <div className="mt-1.5 flex flex-wrap items-center gap-3">
            <code className="font-mono text-[13px] break-all text-zinc-900 sm:text-[15px]">{ctx.principal.organizationId}</code>
            <CopyButton value={ctx.principal.organizationId} label="Copy" context="organization ID" />
          </div>
          <p className="mt-2 text-[13px] text-zinc-600">
            Workloads set it as <code className="font-mono">ANTHROPIC_ORGANIZATION_ID</code>, next to the rule ID, when they exchange their identity token.
          </p>
        </section>

        <section aria-labelledby="counts-heading">
          <h2 id="counts-heading" className="sr-only">
            Counts
          </h2>
          <ul className="grid grid-cols-3 gap-2 sm:gap-3">
            {stats.map((s) => (
              <li key={s.href}>
                <Link href={s.href} className="group flex h-full items-center justify-between rounded-lg border border-zinc-200 bg-white p-3 shadow-xs hover:border-zinc-300 focus-visible:outline-2 focus-visible:outline-brand-600 sm:p-5">
                  <span>
                    <span className="block text-[13px] leading-tight text-zinc-600 sm:text-sm">{s.label}</span>
                    <span className="mt-1 block text-2xl font-semibold tracking-tight text-zinc-900">{s.value}</span>
                  </span>
                  <span className="hidden rounded-md bg-brand-50 p-2 text-brand-600 sm:block">
                    <Icon name={s.icon} className="size-5" />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>

        {paused.length > 0 && (
          <SectionCard
            id="paused-heading"
            title="Key polling paused"
            description="These issuers' keys could not be fetched repeatedly; new signing keys are not picked up until polling resumes."
            className="border-amber-300"
            padded
          >
            <ul className="space-y-1 text-sm">
              {paused.map((i) => (
                <li key={i.id}>
                  <TextLink href={`/issuers/${i.id}`}>{i.name}</TextLink>
                </li>
              ))}
            </ul>
          </SectionCard>
        )}

        {fresh && editable && (
          <SectionCard
            id="connect-heading"
            title="Connect your first workload"
            description="The guided setup asks where the workload runs (GitHub Actions, GitLab, Kubernetes, a cloud…), checks the provider's keys, and creates the issuer, service account and rule together, with the snippets to paste."
            className="border-brand-300"
            padded
          >
            <ButtonLink href="/connect" variant="primary">
              Connect a workload
            </ButtonLink>
          </SectionCard>
        )}

        <SectionCard
          id="start-heading"
          title={fresh && editable ? "Or set up each part yourself" : "Getting started"}
          description={allDone ? "Your first workload can exchange its token. Add more rules as you move workloads over." : "Three steps let a workload trade its OIDC token for a short-lived access token."}
          actions={allDone && <Badge tone="green">Done</Badge>}
        >
          <ol className="divide-y divide-zinc-200">
            {steps.map((step, i) => (
              <li key={step.href} className="flex flex-wrap items-center gap-4 px-4 py-4 sm:px-5">
                <span
                  aria-hidden="true"
                  className={cn("flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold", step.done ? "bg-emerald-600 text-white" : "border border-zinc-300 text-zinc-700")}
                >
                  {step.done ? <Icon name="check" /> : i + 1}
                </span>
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-zinc-900">
                    {step.title}
                    <span className="sr-only">{step.done ? " (done)" : " (to do)"}</span>
                  </p>
                  <p className="text-sm text-zinc-600">{step.body}</p>
                </div>
                {editable && !step.done && (
                  <ButtonLink href={step.href} size="sm" variant={!fresh && steps.find((s) => !s.done) === step ? "primary" : "secondary"}>
                    {step.cta}
                  </ButtonLink>
                )}
              </li>
            ))}
          </ol>
        </SectionCard>
      </div>
    </>
  );
}
