"use client";

import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { setupAction } from "@/lib/console/actions/auth";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { SetupInput } from "@/lib/schemas/users";
import { PASSWORD_MIN } from "@/lib/schemas/vocabulary";

const FIELDS = fieldMap(["code", "email", "name", "password"]);

export function SetupForm() {
  const router = useRouter();
  const form = useForm<SetupInput>({ resolver: useServerResolver("setup", FIELDS), defaultValues: { code: "", email: "", name: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await setupAction(values);
    if (!result.ok) {
      showActionError(form, result.error, FIELDS);
      return;
    }
    router.replace(result.data.redirectTo);
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormError message={formErrorText(errors)} />
      <InputField form={form} name="code" id="code" label="Setup code" hint="Four groups of four characters, e.g. 7KQ2-M9XD-4TBC-J8WE." autoComplete="one-time-code" spellCheck={false} autoCapitalize="characters" className="font-mono tracking-wider" autoFocus />
      <InputField form={form} name="name" id="name" label="Your name" autoComplete="name" />
      <InputField form={form} name="email" id="email" label="Email" type="email" autoComplete="username" />
      <InputField form={form} name="password" id="password" label="Password" hint={`At least ${PASSWORD_MIN} characters.`} type="password" autoComplete="new-password" />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Creating account…" : "Create owner account"}
      </Button>
    </form>
  );
}
