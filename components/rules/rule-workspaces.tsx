"use client";

import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { addRuleWorkspaceAction, removeRuleWorkspaceAction } from "@/lib/console/actions/rules";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { AddRowForm } from "@/components/forms/add-row-form";
import { SelectField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { ACTIONS_HEADER, DataTable } from "@/components/ui/data-table";
import { RemoveButton } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import type { RuleWorkspaceDto } from "@/lib/services/dto";
import type { ruleWorkspaceAdd } from "@/lib/schemas/rules";
import { formatDate } from "../resources/format";
import type { Option } from "@/lib/console/rule-form-options";

const FIELDS = fieldMap(["workspace_id"]);

export function RuleWorkspaces({ ruleId, enabled, workspaces, editable }: { ruleId: string; enabled: RuleWorkspaceDto[]; workspaces: Option[]; editable: boolean }) {
  const router = useRouter();
  const available = workspaces.filter((w) => !enabled.some((e) => e.workspace_id === w.id));
  const form = useForm<z.input<typeof ruleWorkspaceAdd>>({ resolver: useServerResolver("rule.workspace", FIELDS), defaultValues: { workspace_id: available[0]?.id ?? "" } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await addRuleWorkspaceAction(ruleId, values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    router.refresh();
  });
  const nameOf = (w: RuleWorkspaceDto) => w.workspace_name ?? w.workspace_id;
  return (
    <>
      {enabled.length === 0 ? (
        <EmptyState title="No workspaces enabled">Unless the rule applies to all workspaces, enable at least one.</EmptyState>
      ) : (
        <DataTable
          label="Workspaces this rule covers"
          rows={enabled}
          rowKey={(w) => w.workspace_id}
          columns={[
            { header: "Workspace", className: "font-medium", cell: nameOf },
            { header: "Enabled", from: "sm", cell: (w) => formatDate(w.created_at) },
            editable && {
              header: ACTIONS_HEADER,
              className: "text-right",
              cell: (w) => (
                <RemoveButton
                  title={`Remove ${nameOf(w)} from this rule?`}
                  description="Tokens can no longer be requested for this workspace with this rule."
                  action={() => removeRuleWorkspaceAction(ruleId, w.workspace_id)}
                />
              ),
            },
          ]}
        />
      )}
      {editable && available.length > 0 && (
        <AddRowForm onSubmit={onSubmit} error={formErrorText(errors)} columns="sm:grid-cols-[1fr_auto]" submitting={isSubmitting} submitLabel="Add workspace">
          <SelectField form={form} name="workspace_id" id="rule-workspace" label="Enable for workspace" options={available.map((w) => ({ value: w.id, label: w.name }))} />
        </AddRowForm>
      )}
    </>
  );
}
