"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { createUserAction } from "@/lib/console/actions/users";
import { SecretReveal } from "@/components/api-keys/secret-reveal";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { userCreate } from "@/lib/schemas/users";
import { PASSWORD_MIN } from "@/lib/schemas/vocabulary";

export const ROLE_DESCRIPTIONS = {
  owner: "Everything, including users and admin keys",
  admin: "Create, change and archive configuration",
  developer: "Read everything (engineers wiring up workloads)",
  viewer: "Read everything (auditors, support)",
} as const;

const FIELDS = fieldMap(["email", "name", "role", "password"]);

export function CreateUser() {
  const router = useRouter();
  const [created, setCreated] = useState<{ email: string; password: string | null }>();
  const form = useForm<z.input<typeof userCreate>>({
    resolver: useServerResolver("user.create", FIELDS),
    defaultValues: { email: "", name: "", role: "viewer", password: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createUserAction(values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    setCreated({ email: result.data.user.email, password: result.data.generatedPassword });
    form.reset();
    router.refresh();
  });
  if (created?.password) return <SecretReveal title={`Initial password for ${created.email}`} secret={created.password} copyLabel="Copy password" onDone={() => setCreated(undefined)} />;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {created && (
        <Alert tone="success" title="User created">
          {created.email} can sign in with the password you set.
        </Alert>
      )}
      <FormError message={formErrorText(errors)} />
      <div className="grid gap-4 md:grid-cols-2">
        <InputField form={form} name="name" id="user-name" label="Name" autoComplete="off" />
        <InputField form={form} name="email" id="user-email" label="Email" type="email" autoComplete="off" />
        <Field id="user-role" label="Role" error={errorText(errors, "role")}>
          {(a) => (
            <Select
              {...a}
              {...form.register("role")}
              options={Object.entries(ROLE_DESCRIPTIONS).map(([role, description]) => ({ value: role, label: `${role[0]!.toUpperCase() + role.slice(1)}: ${description}` }))}
            />
          )}
        </Field>
        <InputField form={form} name="password" id="user-password" label="Initial password" optional hint={`At least ${PASSWORD_MIN} characters. Leave empty to generate one, shown once.`} type="password" autoComplete="new-password" />
      </div>
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create user"}
      </Button>
    </form>
  );
}
