"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { addRuleWorkspaceAction, removeRuleWorkspaceAction } from "@/lib/console/actions/rules";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { RuleWorkspaceDto } from "@/lib/services/dto";
import { ruleWorkspaceAdd } from "@/lib/schemas/rules";
import { formatDate } from "../resources/format";
import type { Option } from "@/lib/console/rule-form-options";

export function RuleWorkspaces({ ruleId, enabled, workspaces, editable }: { ruleId: string; enabled: RuleWorkspaceDto[]; workspaces: Option[]; editable: boolean }) {
  const router = useRouter();
  const available = workspaces.filter((w) => !enabled.some((e) => e.workspace_id === w.id));
  const form = useForm<z.input<typeof ruleWorkspaceAdd>>({ resolver: zodResolver(ruleWorkspaceAdd), defaultValues: { workspace_id: available[0]?.id ?? "" } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await addRuleWorkspaceAction(ruleId, values);
    if (!result.ok) return showActionError(form, result.error, fieldMap(["workspace_id"]));
    router.refresh();
  });
  return (
    <>
      {enabled.length === 0 ? (
        <EmptyState title="No workspaces enabled">Unless the rule applies to all workspaces, enable at least one.</EmptyState>
      ) : (
        <Table label="Workspaces this rule covers">
          <THead>
            <tr>
              <TH>Workspace</TH>
              <TH className="hidden sm:table-cell">Enabled</TH>
              {editable && (
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              )}
            </tr>
          </THead>
          <TBody>
            {enabled.map((w) => (
              <TR key={w.workspace_id}>
                <TD className="font-medium">{w.workspace_name ?? w.workspace_id}</TD>
                <TD className="hidden sm:table-cell">{formatDate(w.created_at)}</TD>
                {editable && (
                  <TD className="text-right">
                    <ConfirmButton
                      size="sm"
                      label="Remove"
                      title={`Remove ${w.workspace_name ?? w.workspace_id} from this rule?`}
                      description="Tokens can no longer be requested for this workspace with this rule."
                      confirmLabel="Remove"
                      onConfirm={async () => {
                        const result = await removeRuleWorkspaceAction(ruleId, w.workspace_id);
                        if (result.ok) router.refresh();
                        return result;
                      }}
                    />
                  </TD>
                )}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {editable && available.length > 0 && (
        <form onSubmit={onSubmit} noValidate className="space-y-3 border-t border-zinc-200 px-4 py-4 sm:px-5">
          <FormError message={formErrorText(errors)} />
          <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
            <Field id="rule-workspace" label="Enable for workspace" error={errorText(errors, "workspace_id")}>
              {(a) => (
                <Select {...a} {...form.register("workspace_id")}>
                  {available.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button type="submit" disabled={isSubmitting} className="sm:mt-7">
              {isSubmitting ? "Adding…" : "Add workspace"}
            </Button>
          </div>
        </form>
      )}
    </>
  );
}
