"use client";

import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { addServiceAccountWorkspaceAction, removeServiceAccountWorkspaceAction } from "@/lib/console/actions/service-accounts";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { AddRowForm } from "@/components/forms/add-row-form";
import { SelectField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Badge } from "@/components/ui/badge";
import { ACTIONS_HEADER, DataTable } from "@/components/ui/data-table";
import { RemoveButton } from "@/components/ui/dialog";
import type { ServiceAccountWorkspaceMemberDto } from "@/lib/services/dto";
import type { serviceAccountWorkspaceAdd } from "@/lib/schemas/service-accounts";
import { WORKSPACE_ROLES, workspaceRoleLabel } from "../resources/format";

const FIELDS = fieldMap(["workspace_id", "workspace_role"]);

export interface WorkspaceOption {
  id: string;
  name: string;
}

export function Memberships({
  accountId,
  memberships,
  workspaces,
  editable,
}: {
  accountId: string;
  memberships: ServiceAccountWorkspaceMemberDto[];
  /** Live workspaces, for names and the add form. */
  workspaces: WorkspaceOption[];
  editable: boolean;
}) {
  const router = useRouter();
  const names = new Map(workspaces.map((w) => [w.id, w.name]));
  const nameOf = (m: ServiceAccountWorkspaceMemberDto) => names.get(m.workspace_id) ?? m.workspace_id;
  const available = workspaces.filter((w) => !memberships.some((m) => m.workspace_id === w.id && !m.implicit));
  const form = useForm<z.input<typeof serviceAccountWorkspaceAdd>>({
    resolver: useServerResolver("service_account.workspace", FIELDS),
    defaultValues: { workspace_id: available[0]?.id ?? "", workspace_role: "workspace_user" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await addServiceAccountWorkspaceAction(accountId, values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    router.refresh();
  });

  return (
    <>
      <DataTable
        label="Workspace memberships"
        rows={memberships}
        rowKey={(m) => `${m.workspace_id}-${m.implicit}`}
        columns={[
          {
            header: "Workspace",
            cell: (m) => (
              <>
                <span className="font-medium">{nameOf(m)}</span>
                {m.implicit && (
                  <Badge className="ml-2" tone="neutral">
                    Default, implicit
                  </Badge>
                )}
              </>
            ),
          },
          { header: "Role", cell: (m) => workspaceRoleLabel(m.workspace_role) },
          editable && {
            header: ACTIONS_HEADER,
            className: "text-right",
            cell: (m) =>
              !m.implicit && (
                <RemoveButton
                  title={`Remove from ${nameOf(m)}?`}
                  description="Tokens for this service account stop working in this workspace (unless it is the default workspace, which every service account can use)."
                  action={() => removeServiceAccountWorkspaceAction(accountId, m.workspace_id)}
                />
              ),
          },
        ]}
      />
      {editable && available.length > 0 && (
        <AddRowForm onSubmit={onSubmit} error={formErrorText(errors)} columns="sm:grid-cols-[1fr_1fr_auto]" submitting={isSubmitting} submitLabel="Add to workspace">
          <SelectField form={form} name="workspace_id" id="membership-workspace" label="Workspace" options={available.map((w) => ({ value: w.id, label: w.name }))} />
          <SelectField form={form} name="workspace_role" id="membership-role" label="Workspace role" options={WORKSPACE_ROLES} />
        </AddRowForm>
      )}
    </>
  );
}
