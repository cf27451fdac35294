"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { setSignInPolicyAction } from "@/lib/console/actions/sso";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import type { SignInPolicyInput } from "@/lib/schemas/sso";

const FIELDS = fieldMap(["require_sso", "require_second_factor"]);

/** The organization's sign-in policy: SSO for everyone but owners; a second factor for local accounts. */
export function SignInPolicyForm({ policy }: { policy: SignInPolicyInput }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const form = useForm<SignInPolicyInput>({ resolver: useServerResolver("sign_in_policy.update", FIELDS), defaultValues: policy });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(false);
    const result = await setSignInPolicyAction(values);
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    setSaved(true);
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {saved && <Alert tone="success">Sign-in policy saved.</Alert>}
      <FormError message={formErrorText(errors)} />
      <Checkbox
        id="require-sso"
        label="Require single sign-on"
        description="Everyone but owners must sign in with a provider below; their password sign-ins are refused and their password sessions end. Owners keep their password as the break-glass way in."
        {...form.register("require_sso")}
      />
      {errors.require_sso?.message && <p className="text-sm text-red-700">{errors.require_sso.message}</p>}
      <Checkbox
        id="require-second-factor"
        label="Require a second factor for password sign-in"
        description="Local accounts without an authenticator app are sent to set one up before they can use the console."
        {...form.register("require_second_factor")}
      />
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? "Saving…" : "Save policy"}
      </Button>
    </form>
  );
}
