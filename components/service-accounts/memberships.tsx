"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { addServiceAccountWorkspaceAction, removeServiceAccountWorkspaceAction } from "@/lib/console/actions/service-accounts";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ServiceAccountWorkspaceMemberDto } from "@/lib/services/dto";
import { serviceAccountWorkspaceAdd } from "@/lib/schemas/service-accounts";
import { WORKSPACE_ROLES, workspaceRoleLabel } from "../resources/format";


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
  const available = workspaces.filter((w) => !memberships.some((m) => m.workspace_id === w.id && !m.implicit));
  const form = useForm<z.input<typeof serviceAccountWorkspaceAdd>>({
    resolver: zodResolver(serviceAccountWorkspaceAdd),
    defaultValues: { workspace_id: available[0]?.id ?? "", workspace_role: "workspace_user" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await addServiceAccountWorkspaceAction(accountId, values);
    if (!result.ok) return showActionError(form, result.error, fieldMap(["workspace_id", "workspace_role"]));
    router.refresh();
  });

  return (
    <>
      <Table label="Workspace memberships">
        <THead>
          <tr>
            <TH>Workspace</TH>
            <TH>Role</TH>
            {editable && (
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            )}
          </tr>
        </THead>
        <TBody>
          {memberships.map((m) => {
            const name = names.get(m.workspace_id) ?? m.workspace_id;
            return (
              <TR key={`${m.workspace_id}-${m.implicit}`}>
                <TD>
                  <span className="font-medium">{name}</span>
                  {m.implicit && (
                    <Badge className="ml-2" tone="neutral">
                      Default, implicit
                    </Badge>
                  )}
                </TD>
                <TD>{workspaceRoleLabel(m.workspace_role)}</TD>
                {editable && (
                  <TD className="text-right">
                    {!m.implicit && (
                      <ConfirmButton
                        size="sm"
                        label="Remove"
                        title={`Remove from ${name}?`}
                        description="Tokens for this service account stop working in this workspace (unless it is the default workspace, which every service account can use)."
                        confirmLabel="Remove"
                        onConfirm={async () => {
                          const result = await removeServiceAccountWorkspaceAction(accountId, m.workspace_id);
                          if (result.ok) router.refresh();
                          return result;
                        }}
                      />
                    )}
                  </TD>
                )}
              </TR>
            );
          })}
        </TBody>
      </Table>
      {editable && available.length > 0 && (
        <form onSubmit={onSubmit} noValidate className="space-y-3 border-t border-zinc-200 px-4 py-4 sm:px-5">
          <FormError message={formErrorText(errors)} />
          <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
            <Field id="membership-workspace" label="Workspace" error={errorText(errors, "workspace_id")}>
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
            <Field id="membership-role" label="Workspace role" error={errorText(errors, "workspace_role")}>
              {(a) => (
                <Select {...a} {...form.register("workspace_role")}>
                  {WORKSPACE_ROLES.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button type="submit" disabled={isSubmitting} className="sm:mt-7">
              {isSubmitting ? "Adding…" : "Add to workspace"}
            </Button>
          </div>
        </form>
      )}
    </>
  );
}
