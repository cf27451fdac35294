"use client";

/**
 * The tester page's interactive part: the token form (paste, choose a rule, test), the
 * sample-token minter and the live exchange (admins), and the report. The token lives only
 * in this page's state and the requests that carry it.
 */
import { useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { testTokenAction } from "@/lib/console/actions/tester";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField, SelectField, TextareaField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import type { TokenReport } from "@/lib/insight/tester";
import { LiveExchange, ruleChoice, type RuleOption } from "./live-exchange";
import { MintSample } from "./mint-sample";
import { TokenReportView } from "./token-report";

interface TokenFormValues {
  assertion: string;
  rule_id: string;
  workspace_id: string;
  service_account_id: string;
}

const FIELDS = fieldMap(["assertion", "rule_id", "workspace_id", "service_account_id"]);

export interface WorkbenchProps {
  rules: RuleOption[];
  initialRuleId: string;
  defaultAudience: string;
  publicUrl: string;
  demoIssuerUrl: string;
  demoIssuerId: string | null;
  /** Admins and owners: mint sample tokens and run live exchanges. */
  canEdit: boolean;
  /** A report computed by the page (claims of a history entry). */
  initialReport?: TokenReport | undefined;
  /** Shown above the report (what the initial report is about). */
  initialContext?: ReactNode;
}

export function TesterWorkbench({ rules, initialRuleId, defaultAudience, publicUrl, demoIssuerUrl, demoIssuerId, canEdit, initialReport, initialContext }: WorkbenchProps) {
  const [report, setReport] = useState<TokenReport | undefined>(initialReport);
  const [showContext, setShowContext] = useState(true);
  const [mintOpen, setMintOpen] = useState(false);
  const form = useForm<TokenFormValues>({
    // The schema turns empty fields into "not given"; the form keeps strings.
    resolver: useServerResolver("tester.test", FIELDS),
    defaultValues: { assertion: "", rule_id: initialRuleId, workspace_id: "", service_account_id: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const ruleId = form.watch("rule_id");

  const onSubmit = form.handleSubmit(async (values) => {
    // A report left on screen under a new run's error reads as this token's: clear it first.
    setReport(undefined);
    setShowContext(false);
    const result = await testTokenAction(values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    setReport(result.data);
  }, () => setReport(undefined));

  return (
    <div className="space-y-6">
      <Card aria-labelledby="token-heading">
        <CardHeader
          id="token-heading"
          title="Token"
          description="Paste the identity token your workload presents. It is checked on this server and never stored or logged."
          actions={
            canEdit && (
              <Button size="sm" aria-expanded={mintOpen} aria-controls="mint-panel" onClick={() => setMintOpen((o) => !o)}>
                {mintOpen ? "Hide sample minter" : "Mint a sample token"}
              </Button>
            )
          }
        />
        {canEdit && mintOpen && (
          <div id="mint-panel" className="border-b border-zinc-200 bg-zinc-50/60 px-4 py-4 sm:px-5">
            <MintSample
              // A sample for the chosen rule asks for that rule's audience.
              defaultAudience={rules.find((r) => r.id === ruleId)?.audience ?? defaultAudience}
              demoIssuerUrl={demoIssuerUrl}
              demoIssuerId={demoIssuerId}
              onMinted={(token) => form.setValue("assertion", token, { shouldValidate: true, shouldDirty: true })}
            />
          </div>
        )}
        <CardContent>
          <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Test a token">
            <FormError message={formErrorText(errors)} />
            <TextareaField form={form} name="assertion" id="assertion" label="Identity token (JWT)" hint="The raw token, eyJ…; surrounding whitespace is ignored." rows={5} autoComplete="off" spellCheck={false} className="break-all" placeholder="eyJhbGciOiJSUzI1NiIsImtpZCI6…" />
            <div className="grid gap-4 sm:grid-cols-3">
              <SelectField form={form} name="rule_id" id="rule_id" label="Check against" options={rules.map(ruleChoice)}>
                <option value="">Every live rule of the token&apos;s issuer</option>
              </SelectField>
              <InputField form={form} name="workspace_id" id="workspace_id" label="Workspace" optional hint="As ANTHROPIC_WORKSPACE_ID: wrkspc_… or default." spellCheck={false} className="font-mono" />
              <InputField form={form} name="service_account_id" id="service_account_id" label="Service account" optional hint="As ANTHROPIC_SERVICE_ACCOUNT_ID: svac_…" spellCheck={false} className="font-mono" />
            </div>
            <Button type="submit" variant="primary" disabled={isSubmitting}>
              {isSubmitting ? "Testing…" : "Test token"}
            </Button>
          </form>
        </CardContent>
      </Card>

      {showContext && initialContext}
      <div aria-live="polite">{report && <TokenReportView report={report} />}</div>

      {canEdit && (
        <Card aria-labelledby="live-heading">
          <CardHeader id="live-heading" title="Live exchange" description="Exchange the token above for real, the way a workload does, and see the reply." />
          <CardContent>
            <LiveExchange rules={rules} defaultRuleId={ruleId} publicUrl={publicUrl} getAssertion={() => form.getValues("assertion")} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
