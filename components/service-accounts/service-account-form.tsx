"use client";

import { useForm } from "react-hook-form";
import { createServiceAccountAction, updateServiceAccountAction } from "@/lib/console/actions/service-accounts";
import { useOpenPage } from "@/components/forms/use-open-page";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField, SelectField, TextareaField } from "@/components/forms/fields";
import { FormActions } from "@/components/forms/form-actions";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { ORGANIZATION_ROLES } from "@/components/resources/format";
import { FormError } from "@/components/ui/alert";
import type { ServiceAccountDto } from "@/lib/services/dto";

const FIELDS = fieldMap(["name", "description", "organization_role"]);

interface ServiceAccountFormValues {
  name?: string;
  description: string;
  organization_role: "admin" | "developer";
}

// The edit form has no name field, so its values are exactly what the update operation takes.
const toInput = (values: ServiceAccountFormValues) => ({ ...values, description: values.description || null });

/** A new service account, or (given `account`) its description and role: the name is set once, on creation. */
export function ServiceAccountForm({ account }: { account?: ServiceAccountDto }) {
  const openPage = useOpenPage();
  const form = useForm<ServiceAccountFormValues>({
    resolver: useServerResolver(account ? "service_account.update" : "service_account.create", FIELDS, { toInput }),
    defaultValues: account ? { description: account.description ?? "", organization_role: account.organization_role } : { name: "", description: "", organization_role: "developer" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = account ? await updateServiceAccountAction(account.id, toInput(values)) : await createServiceAccountAction(toInput(values));
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    openPage(`/service-accounts/${result.data.id}`);
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormError message={formErrorText(errors)} />
      {!account && <InputField form={form} name="name" id="name" label="Name" hint="Lowercase letters, digits and hyphens, e.g. ci-deployer. Cannot be changed later." autoComplete="off" spellCheck={false} />}
      <TextareaField form={form} name="description" id="description" label="Description" optional rows={2} className="font-sans text-sm" />
      <SelectField
        form={form}
        name="organization_role"
        id="organization_role"
        label="Organization role"
        hint="Developer suits most workloads. Admin is needed only for rules granting org:admin (managing this server through the Admin API)."
        options={ORGANIZATION_ROLES}
      />
      <FormActions
        submitting={isSubmitting}
        submitLabel={account ? "Save changes" : "Create service account"}
        busyLabel={account ? "Saving…" : "Creating…"}
        cancelHref={account ? `/service-accounts/${account.id}` : "/service-accounts"}
      />
    </form>
  );
}
