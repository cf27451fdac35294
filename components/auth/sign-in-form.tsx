"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { signInAction } from "@/lib/console/actions/auth";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { signInInput, type SignInInput } from "@/lib/schemas/users";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const form = useForm<SignInInput>({ resolver: zodResolver(signInInput), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await signInAction(values, next);
    if (!result.ok) {
      showActionError(form, result.error, fieldMap(["email", "password"]));
      return;
    }
    router.replace(result.data.redirectTo);
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormError message={formErrorText(errors)} />
      <InputField form={form} name="email" id="email" label="Email" type="email" autoComplete="username" autoFocus />
      <InputField form={form} name="password" id="password" label="Password" type="password" autoComplete="current-password" />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
