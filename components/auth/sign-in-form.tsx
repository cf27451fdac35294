"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { secondFactorAction } from "@/lib/console/actions/auth";
import type { ActionResult } from "@/lib/console/action-result";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { useOpenPage } from "@/components/forms/use-open-page";
import { useServerResolver } from "@/components/forms/server-resolver";
import type { SecondFactorInput } from "@/lib/schemas/sso";
import type { SignInInput } from "@/lib/schemas/users";
import { PASSWORD_SIGN_IN_PATH } from "@/lib/schemas/vocabulary";
import { AuthForm } from "./auth-form";

const PASSWORD_FIELDS = fieldMap(["email", "password"]);
const CODE_FIELDS = fieldMap(["code"]);

type PasswordReply = ActionResult<{ redirectTo: string } | { secondFactor: true }>;

/**
 * The password step goes to the server's own endpoint, not a server action: it answers before
 * Next, so a flood of guesses costs the server little (lib/server/password-sign-in.ts). The
 * endpoint checks the fields with the sign-in schema and names the one at fault, so the form
 * asks nothing beforehand.
 */
async function postPassword(values: SignInInput, next: string): Promise<PasswordReply> {
  try {
    const res = await fetch(PASSWORD_SIGN_IN_PATH, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...values, next }) });
    const reply = (await res.json().catch(() => undefined)) as PasswordReply | undefined;
    if (reply && typeof reply.ok === "boolean") return reply;
    return { ok: false, error: { status: res.status, message: `The server answered ${res.status} without a sign-in result; try again, and check the server's log if it persists` } };
  } catch {
    return { ok: false, error: { status: 0, message: "Could not reach the server. Check your connection and try again." } };
  }
}

/** Email and password; then, for an account with a second factor, its code (no session exists until the code checks out). */
export function SignInForm({ next }: { next: string }) {
  const [step, setStep] = useState<"password" | "code">("password");
  return step === "password" ? <PasswordStep next={next} onSecondFactor={() => setStep("code")} /> : <CodeStep />;
}

function PasswordStep({ next, onSecondFactor }: { next: string; onSecondFactor: () => void }) {
  const openPage = useOpenPage();
  const form = useForm<SignInInput>({ defaultValues: { email: "", password: "" } });

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await postPassword(values, next);
    if (!result.ok) return showActionError(form, result.error, PASSWORD_FIELDS);
    if ("secondFactor" in result.data) return onSecondFactor();
    openPage(result.data.redirectTo, { replace: true });
  });

  return (
    <AuthForm form={form} onSubmit={onSubmit} submit="Sign in" submitting="Signing in…">
      <InputField form={form} name="email" id="email" label="Email" type="email" autoComplete="username" autoFocus />
      <InputField form={form} name="password" id="password" label="Password" type="password" autoComplete="current-password" />
    </AuthForm>
  );
}

function CodeStep() {
  const openPage = useOpenPage();
  const form = useForm<SecondFactorInput>({ resolver: useServerResolver("second_factor", CODE_FIELDS), defaultValues: { code: "" } });

  const onSubmit = form.handleSubmit(async (values) => {
    const result = await secondFactorAction(values);
    if (!result.ok) return showActionError(form, result.error, CODE_FIELDS);
    openPage(result.data.redirectTo, { replace: true });
  });

  return (
    <AuthForm form={form} onSubmit={onSubmit} submit="Verify" submitting="Checking…">
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
    </AuthForm>
  );
}
