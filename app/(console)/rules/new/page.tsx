import type { Metadata } from "next";
import Link from "next/link";
import { RuleForm } from "@/components/rules/rule-form";
import { Alert } from "@/components/ui/alert";
import { FormPage } from "@/components/forms/form-page";
import { pageContext } from "@/lib/console/auth";
import { getRuntime } from "@/lib/runtime";
import { ruleFormOptions } from "../../../../lib/console/rule-form-options";

export const metadata: Metadata = { title: "New rule" };

export default async function NewRulePage({ searchParams }: { searchParams: Promise<{ issuer_id?: string; service_account_id?: string }> }) {
  const ctx = await pageContext("admin");
  const options = await ruleFormOptions(ctx);
  const { issuer_id, service_account_id } = await searchParams;
  const missing = options.issuers.length === 0 || options.serviceAccounts.length === 0;
  return (
    <FormPage
      title="New rule"
      description="Say which identities from an issuer may act as a service account."
      back={{ href: "/rules", label: "Rules" }}
      notice={
        missing && (
          <Alert tone="warning" className="mb-4" title="A rule needs an issuer and a service account">
            {options.issuers.length === 0 && (
              <p>
                <Link href="/issuers/new" className="font-medium underline">
                  Create an issuer
                </Link>{" "}
                first.
              </p>
            )}
            {options.serviceAccounts.length === 0 && (
              <p>
                <Link href="/service-accounts/new" className="font-medium underline">
                  Create a service account
                </Link>{" "}
                first.
              </p>
            )}
          </Alert>
        )
      }
    >
      <RuleForm
        issuers={options.issuers}
        serviceAccounts={options.serviceAccounts}
        workspaces={options.workspaces}
        defaultAudience={ctx.config.defaultAudience}
        newRuleAudience={(await getRuntime()).publicUrl}
        preselect={{ issuerId: options.issuers.some((i) => i.id === issuer_id) ? issuer_id : undefined, serviceAccountId: options.serviceAccounts.some((s) => s.id === service_account_id) ? service_account_id : undefined }}
      />
    </FormPage>
  );
}
