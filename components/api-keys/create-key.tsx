"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { createAdminKeyAction } from "@/lib/console/actions/admin-keys";
import { createApiKeyAction } from "@/lib/console/actions/api-keys";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { apiKeyCreate } from "@/lib/schemas/workspaces";
import { SecretReveal } from "./secret-reveal";

interface Option {
  id: string;
  name: string;
}

const emptyToNull = (v: unknown) => (v === "" ? null : v);

export function CreateApiKey({ workspaces, serviceAccounts }: { workspaces: Option[]; serviceAccounts: Option[] }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string>();
  const form = useForm<z.input<typeof apiKeyCreate>>({ resolver: zodResolver(apiKeyCreate), defaultValues: { name: "", workspace_id: workspaces[0]?.id ?? null, service_account_id: null } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createApiKeyAction(values);
    if (!result.ok) return showActionError(form, result.error, fieldMap(["name", "workspace_id", "service_account_id"]));
    setSecret(result.data.key);
    form.reset();
    router.refresh();
  });
  if (secret) return <SecretReveal title="API key created" secret={secret} onDone={() => setSecret(undefined)} />;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={formErrorText(errors)} />
      <div className="grid gap-4 md:grid-cols-3">
        <Field id="key-name" label="Name" error={errorText(errors, "name")}>
          {(a) => <Input {...a} autoComplete="off" {...form.register("name")} />}
        </Field>
        <Field id="key-workspace" label="Workspace" error={errorText(errors, "workspace_id")}>
          {(a) => <Select {...a} {...form.register("workspace_id", { setValueAs: emptyToNull })} options={workspaces.map((w) => ({ value: w.id, label: w.name }))} />}
        </Field>
        <Field id="key-service-account" label="Acts as service account" optional error={errorText(errors, "service_account_id")}>
          {(a) => (
            <Select {...a} {...form.register("service_account_id", { setValueAs: emptyToNull })} options={serviceAccounts.map((s) => ({ value: s.id, label: s.name }))}>
              <option value="">None</option>
            </Select>
          )}
        </Field>
      </div>
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create API key"}
      </Button>
    </form>
  );
}

const adminKeyCreate = z.object({ name: apiKeyCreate.shape.name });

export function CreateAdminKey() {
  const router = useRouter();
  const [secret, setSecret] = useState<string>();
  const form = useForm<z.input<typeof adminKeyCreate>>({ resolver: zodResolver(adminKeyCreate), defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createAdminKeyAction(values);
    if (!result.ok) return showActionError(form, result.error, fieldMap(["name"]));
    setSecret(result.data.key);
    form.reset();
    router.refresh();
  });
  if (secret) return <SecretReveal title="Admin key created" secret={secret} onDone={() => setSecret(undefined)} />;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={formErrorText(errors)} />
      <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start">
        <Field id="admin-key-name" label="Name" hint="Say where it is used, e.g. terraform-ci." error={errorText(errors, "name")}>
          {(a) => <Input {...a} autoComplete="off" {...form.register("name")} />}
        </Field>
        <Button type="submit" variant="primary" disabled={isSubmitting} className="sm:mt-7">
          {isSubmitting ? "Creating…" : "Create admin key"}
        </Button>
      </div>
    </form>
  );
}
