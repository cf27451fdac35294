"use client";

import { useForm } from "react-hook-form";
import { createWorkspaceAction, updateWorkspaceAction } from "@/lib/console/actions/workspaces";
import { useOpenPage } from "@/components/forms/use-open-page";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { FormActions } from "@/components/forms/form-actions";
import { InputField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import type { WorkspaceDto } from "@/lib/services/dto";

const FIELDS = fieldMap(["name", "display_color"]);

interface WorkspaceFormValues {
  name: string;
  display_color: string;
}

export function WorkspaceForm({ workspace }: { workspace?: WorkspaceDto }) {
  const openPage = useOpenPage();
  const editing = !!workspace;
  const form = useForm<WorkspaceFormValues>({
    resolver: useServerResolver(editing ? "workspace.update" : "workspace.create", FIELDS),
    defaultValues: { name: workspace?.name ?? "", display_color: workspace?.display_color ?? "#6c5bb9" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = editing ? await updateWorkspaceAction(workspace.id, values) : await createWorkspaceAction(values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    openPage(`/workspaces/${result.data.id}`);
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormError message={formErrorText(errors)} />
      <InputField form={form} name="name" id="name" label="Name" hint="Up to 40 characters." autoComplete="off" />
      <InputField form={form} name="display_color" id="display_color" label="Colour" hint="Shown next to the workspace's name." type="color" className="h-9 w-20 p-1" />
      <FormActions submitting={isSubmitting} submitLabel={editing ? "Save changes" : "Create workspace"} cancelHref={editing ? undefined : "/workspaces"} />
    </form>
  );
}
