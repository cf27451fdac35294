"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm, type Resolver } from "react-hook-form";
import { archiveWorkspaceAction, createWorkspaceAction, updateWorkspaceAction } from "@/lib/console/actions/workspaces";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { ArchiveButton } from "@/components/resources/archive-button";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { WorkspaceDto } from "@/lib/services/dto";
import { workspaceCreate, workspaceUpdate } from "@/lib/schemas/workspaces";

const FIELDS = fieldMap(["name", "display_color"]);

interface WorkspaceFormValues {
  name: string;
  display_color: string;
}

export function WorkspaceForm({ workspace }: { workspace?: WorkspaceDto }) {
  const router = useRouter();
  const editing = !!workspace;
  const form = useForm<WorkspaceFormValues>({
    // Both schemas accept these two fields; the resolver types differ only in optionality.
    resolver: zodResolver(editing ? workspaceUpdate : workspaceCreate) as unknown as Resolver<WorkspaceFormValues>,
    defaultValues: { name: workspace?.name ?? "", display_color: workspace?.display_color ?? "#6c5bb9" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = editing ? await updateWorkspaceAction(workspace.id, values) : await createWorkspaceAction(values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    router.push(`/workspaces/${result.data.id}`);
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormError message={formErrorText(errors)} />
      <Field id="name" label="Name" hint="Up to 40 characters." error={errorText(errors, "name")}>
        {(a) => <Input {...a} autoComplete="off" {...form.register("name")} />}
      </Field>
      <Field id="display_color" label="Colour" hint="Shown next to the workspace's name." error={errorText(errors, "display_color")}>
        {(a) => <Input {...a} type="color" className="h-9 w-20 p-1" {...form.register("display_color")} />}
      </Field>
      <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-5">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : editing ? "Save changes" : "Create workspace"}
        </Button>
        {!editing && <ButtonLink href="/workspaces">Cancel</ButtonLink>}
      </div>
    </form>
  );
}

export function ArchiveWorkspaceButton({ id, name }: { id: string; name: string }) {
  return (
    <ArchiveButton
      noun="workspace"
      name={name}
      consequence="Tokens and API keys can no longer be used in this workspace. Archived workspaces cannot be restored."
      archive={() => archiveWorkspaceAction(id)}
    />
  );
}
