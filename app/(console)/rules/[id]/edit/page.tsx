import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RuleForm } from "@/components/rules/rule-form";
import { FormPage } from "@/components/forms/form-page";
import { getRule } from "@/lib/services/rules";
import { pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";
import { ruleFormOptions } from "../../../../../lib/console/rule-form-options";

export const metadata: Metadata = { title: "Edit rule" };

export default async function EditRulePage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext("admin");
  const rule = await orNotFound(getRule(ctx, (await params).id));
  if (rule.archived_at) redirect(`/rules/${rule.id}`);
  const options = await ruleFormOptions(ctx);
  // Keep the current target selectable even if it is no longer listed first.
  const serviceAccounts = options.serviceAccounts.some((s) => s.id === rule.target.service_account_id)
    ? options.serviceAccounts
    : [{ id: rule.target.service_account_id, name: rule.target.service_account_name ?? rule.target.service_account_id, detail: "archived" }, ...options.serviceAccounts];
  return (
    <FormPage title={`Edit ${rule.name}`} back={{ href: `/rules/${rule.id}`, label: rule.name }}>
      <RuleForm rule={rule} issuers={options.issuers} serviceAccounts={serviceAccounts} workspaces={options.workspaces} defaultAudience={ctx.config.defaultAudience} />
    </FormPage>
  );
}
