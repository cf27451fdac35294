"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm, type UseFormRegisterReturn } from "react-hook-form";
import type { z } from "zod";
import { createServiceAccountAction, updateServiceAccountAction } from "@/lib/console/actions/service-accounts";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { ORGANIZATION_ROLES } from "@/components/resources/format";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ServiceAccountDto } from "@/lib/services/dto";
import { serviceAccountCreate, serviceAccountUpdate } from "@/lib/schemas/service-accounts";

const FIELDS = fieldMap(["name", "description", "organization_role"]);

const ROLE_HINT = "Developer suits most workloads. Admin is needed only for rules granting org:admin (managing this server through the Admin API).";

function RoleSelect({ field, error }: { field: UseFormRegisterReturn; error?: string | undefined }) {
  return (
    <Field id="organization_role" label="Organization role" hint={ROLE_HINT} error={error}>
      {(a) => <Select {...a} {...field} options={ORGANIZATION_ROLES} />}
    </Field>
  );
}

export function CreateServiceAccountForm() {
  const router = useRouter();
  const form = useForm<z.input<typeof serviceAccountCreate>, unknown, z.output<typeof serviceAccountCreate>>({
    resolver: zodResolver(serviceAccountCreate),
    defaultValues: { name: "", description: "", organization_role: "developer" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createServiceAccountAction({ ...values, description: values.description || null });
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    router.push(`/service-accounts/${result.data.id}`);
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormError message={formErrorText(errors)} />
      <Field id="name" label="Name" hint="Lowercase letters, digits and hyphens, e.g. ci-deployer. Cannot be changed later." error={errorText(errors, "name")}>
        {(a) => <Input {...a} autoComplete="off" spellCheck={false} {...form.register("name")} />}
      </Field>
      <Field id="description" label="Description" optional error={errorText(errors, "description")}>
        {(a) => <Textarea {...a} rows={2} className="font-sans text-sm" {...form.register("description")} />}
      </Field>
      <RoleSelect field={form.register("organization_role")} error={errorText(errors, "organization_role")} />
      <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-5">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create service account"}
        </Button>
        <ButtonLink href="/service-accounts">Cancel</ButtonLink>
      </div>
    </form>
  );
}

export function EditServiceAccountForm({ account }: { account: ServiceAccountDto }) {
  const router = useRouter();
  const form = useForm<z.input<typeof serviceAccountUpdate>, unknown, z.output<typeof serviceAccountUpdate>>({
    resolver: zodResolver(serviceAccountUpdate),
    defaultValues: { description: account.description ?? "", organization_role: account.organization_role },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await updateServiceAccountAction(account.id, { ...values, description: values.description || null });
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    router.push(`/service-accounts/${account.id}`);
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormError message={formErrorText(errors)} />
      <Field id="description" label="Description" optional error={errorText(errors, "description")}>
        {(a) => <Textarea {...a} rows={2} className="font-sans text-sm" {...form.register("description")} />}
      </Field>
      <RoleSelect field={form.register("organization_role")} error={errorText(errors, "organization_role")} />
      <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-5">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save changes"}
        </Button>
        <ButtonLink href={`/service-accounts/${account.id}`}>Cancel</ButtonLink>
      </div>
    </form>
  );
}
