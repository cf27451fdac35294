"use client";

import { useForm } from "react-hook-form";
import { setupAction } from "@/lib/console/actions/auth";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { useOpenPage } from "@/components/forms/use-open-page";
import { useServerResolver } from "@/components/forms/server-resolver";
import type { SetupInput } from "@/lib/schemas/users";
import { PASSWORD_MIN } from "@/lib/schemas/vocabulary";
import { AuthForm } from "./auth-form";

const FIELDS = fieldMap(["code", "email", "name", "password"]);

export function SetupForm() {
  const openPage = useOpenPage();
  const form = useForm<SetupInput>({ resolver: useServerResolver("setup", FIELDS), defaultValues: { code: "", email: "", name: "", password: "" } });

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await setupAction(values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    openPage(result.data.redirectTo, { replace: true });
  });

  return (
    <AuthForm form={form} onSubmit={onSubmit} submit="Create owner account" submitting="Creating account…">
      <InputField form={form} name="code" id="code" label="Setup code" hint="Four groups of four characters, e.g. 7KQ2-M9XD-4TBC-J8WE." autoComplete="one-time-code" spellCheck={false} autoCapitalize="characters" className="font-mono tracking-wider" autoFocus />
      <InputField form={form} name="name" id="name" label="Your name" autoComplete="name" />
      <InputField form={form} name="email" id="email" label="Email" type="email" autoComplete="username" />
      <InputField form={form} name="password" id="password" label="Password" hint={`At least ${PASSWORD_MIN} characters.`} type="password" autoComplete="new-password" />
    </AuthForm>
  );
}
