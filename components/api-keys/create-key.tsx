"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useForm, type FieldValues, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/console/action-result";
import { createAdminKeyAction } from "@/lib/console/actions/admin-keys";
import { createApiKeyAction } from "@/lib/console/actions/api-keys";
import { fieldMap, showActionError, type FieldMap } from "@/components/forms/action-errors";
import { InputField, SelectField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { adminKeyCreate, apiKeyCreate } from "@/lib/schemas/workspaces";
import { SecretReveal } from "./secret-reveal";

interface Option {
  id: string;
  name: string;
}

const emptyToNull = (v: unknown) => (v === "" ? null : v);

/** Creating a key: on success its secret is shown once in the form's place, the form emptied and the list refreshed. */
function KeyForm<T extends FieldValues>({ form, create, fields, created, children }: { form: UseFormReturn<T>; create: (values: T) => Promise<ActionResult<{ key: string }>>; fields: FieldMap; created: string; children: ReactNode }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string>();
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await create(values);
    if (!result.ok) return showActionError(form, result.error, fields);
    setSecret(result.data.key);
    form.reset();
    router.refresh();
  });
  if (secret) return <SecretReveal title={created} secret={secret} onDone={() => setSecret(undefined)} />;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={formErrorText(form.formState.errors)} />
      {children}
    </form>
  );
}

const API_KEY_FIELDS = fieldMap(["name", "workspace_id", "service_account_id", "expires_at"]);

export function CreateApiKey({ workspaces, serviceAccounts }: { workspaces: Option[]; serviceAccounts: Option[] }) {
  const form = useForm<z.input<typeof apiKeyCreate>>({ resolver: useServerResolver("api_key.create", API_KEY_FIELDS), defaultValues: { name: "", workspace_id: workspaces[0]?.id ?? null, service_account_id: null, expires_at: "" } });
  const { isSubmitting } = form.formState;
  return (
    <KeyForm form={form} create={createApiKeyAction} fields={API_KEY_FIELDS} created="API key created">
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <InputField form={form} name="name" id="key-name" label="Name" autoComplete="off" />
        <SelectField form={form} name="workspace_id" id="key-workspace" label="Workspace" options={workspaces.map((w) => ({ value: w.id, label: w.name }))} registerOptions={{ setValueAs: emptyToNull }} />
        <SelectField form={form} name="service_account_id" id="key-service-account" label="Acts as service account" optional options={serviceAccounts.map((s) => ({ value: s.id, label: s.name }))} registerOptions={{ setValueAs: emptyToNull }}>
          <option value="">None</option>
        </SelectField>
        <InputField form={form} name="expires_at" id="key-expires" label="Expires" type="date" optional hint="Works through this day (UTC). Empty: never expires." />
      </div>
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create API key"}
      </Button>
    </KeyForm>
  );
}

const ADMIN_KEY_FIELDS = fieldMap(["name"]);

export function CreateAdminKey() {
  const form = useForm<z.input<typeof adminKeyCreate>>({ resolver: useServerResolver("admin_key.create", ADMIN_KEY_FIELDS), defaultValues: { name: "" } });
  const { isSubmitting } = form.formState;
  return (
    <KeyForm form={form} create={createAdminKeyAction} fields={ADMIN_KEY_FIELDS} created="Admin key created">
      <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start">
        <InputField form={form} name="name" id="admin-key-name" label="Name" hint="Say where it is used, e.g. terraform-ci." autoComplete="off" />
        <Button type="submit" variant="primary" disabled={isSubmitting} className="sm:mt-7">
          {isSubmitting ? "Creating…" : "Create admin key"}
        </Button>
      </div>
    </KeyForm>
  );
}
