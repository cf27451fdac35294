"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { secondFactorAction, signInAction } from "@/lib/console/actions/auth";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { SecondFactorInput } from "@/lib/schemas/sso";
import type { SignInInput } from "@/lib/schemas/users";

const PASSWORD_FIELDS = fieldMap(["email", "password"]);
const CODE_FIELDS = fieldMap(["code"]);

/** Email and password; then, for an account with a second factor, its code (no session exists until the code checks out). */
export function SignInForm({ next }: { next: string }) {
  const [step, setStep] = useState<"password" | "code">("password");
  return step === "password" ? <PasswordStep next={next} onSecondFactor={() => setStep("code")} /> : <CodeStep />;
}

function PasswordStep({ next, onSecondFactor }: { next: string; onSecondFactor: () => void }) {
  const router = useRouter();
  const form = useForm<SignInInput>({ resolver: useServerResolver("sign_in", PASSWORD_FIELDS), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await signInAction(values, next);
    if (!result.ok) {
      showActionError(form, result.error, PASSWORD_FIELDS);
      return;
    }
    if ("secondFactor" in result.data) {
      onSecondFactor();
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

function CodeStep() {
  const router = useRouter();
  const form = useForm<SecondFactorInput>({ resolver: useServerResolver("second_factor", CODE_FIELDS), defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await secondFactorAction(values);
    if (!result.ok) {
      showActionError(form, result.error, CODE_FIELDS);
      return;
    }
    router.replace(result.data.redirectTo);
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormError message={formErrorText(errors)} />
      <InputField
        form={form}
        name="code"
        id="code"
        label="Authentication code"
        hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        autoComplete="one-time-code"
        inputMode="text"
        spellCheck={false}
        autoFocus
      />
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Checking…" : "Verify"}
      </Button>
    </form>
  );
}
