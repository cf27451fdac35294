"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { beginTotpAction, confirmTotpAction, removeTotpAction } from "@/lib/console/actions/account";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField } from "@/components/forms/fields";
import { useRefreshingAction } from "@/components/forms/use-refreshing-action";
import { formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import type { ActionResult } from "@/lib/console/action-result";
import type { SecondFactorInput } from "@/lib/schemas/sso";

const CODE_FIELDS = fieldMap(["code"]);

interface Enrolment {
  secret: string;
  qrDataUrl: string;
}

/** Set up an authenticator app: QR code and secret, a first code to confirm, then the recovery codes, shown once. */
export function SecondFactorSetup({ enabled, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  const router = useRouter();
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [codes, setCodes] = useState<string[]>();
  const action = useRefreshingAction();

  if (codes) return <RecoveryCodes codes={codes} onDone={() => (setCodes(undefined), router.refresh())} />;

  if (enabled) {
    return (
      <div className="space-y-3">
        <Alert tone="success" title="Authenticator app is on">
          Sign-in asks for a code after your password. {recoveryCodesLeft} of 10 recovery codes left.
        </Alert>
        <RemoveSecondFactor onRemoved={() => router.refresh()} />
      </div>
    );
  }

  if (!enrolment) {
    return (
      <div className="space-y-3">
        <FormError message={action.error} />
        <Button variant="primary" disabled={action.pending} onClick={() => action.run(beginTotpAction, ({ secret, qrDataUrl }) => setEnrolment({ secret, qrDataUrl }))}>
          Set up authenticator app
        </Button>
      </div>
    );
  }
  return <ConfirmEnrolment enrolment={enrolment} onConfirmed={setCodes} />;
}

function ConfirmEnrolment({ enrolment, onConfirmed }: { enrolment: Enrolment; onConfirmed: (codes: string[]) => void }) {
  return (
    <div className="grid gap-6 md:grid-cols-[auto_1fr]">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data URL; next/image adds nothing here */}
      <img src={enrolment.qrDataUrl} alt="QR code to scan with your authenticator app" width={200} height={200} className="rounded border border-zinc-200" />
      <div className="min-w-0 space-y-4">
        <div>
          <p className="text-sm text-zinc-700">Scan the QR code with your authenticator app, or type this secret into it:</p>
          <div className="mt-1.5 flex items-center gap-2">
            <code aria-label="Secret" className="min-w-0 rounded bg-zinc-100 px-2 py-1 font-mono text-sm break-all text-zinc-900">
              {enrolment.secret}
            </code>
            <CopyButton value={enrolment.secret} label="Copy secret" />
          </div>
        </div>
        <CodeForm check="totp.confirm" submit={confirmTotpAction} onDone={(data) => onConfirmed(data.recoveryCodes)} id="totp-code" label="Code from your app" numeric button="Confirm" />
      </div>
    </div>
  );
}

/** Removing the factor asks for a current code (or a recovery code): an open session alone is not enough. */
function RemoveSecondFactor({ onRemoved }: { onRemoved: () => void }) {
  return (
    <CodeForm
      check="second_factor"
      submit={removeTotpAction}
      onDone={onRemoved}
      id="totp-remove-code"
      label="Code from your app, or a recovery code"
      hint="Needed to remove the second factor."
      button="Remove second factor"
      danger
    />
  );
}

/** One code field, checked by the server with `check`'s schema and sent to `submit`; a refusal shows beside the field. */
function CodeForm<T>({
  check,
  submit,
  onDone,
  id,
  label,
  hint,
  numeric,
  button,
  danger,
}: {
  check: "totp.confirm" | "second_factor";
  submit: (values: SecondFactorInput) => Promise<ActionResult<T>>;
  onDone: (data: T) => void;
  id: string;
  label: string;
  hint?: string;
  /** Only digits (the enrolment's first code); a recovery code has letters. */
  numeric?: boolean;
  button: string;
  danger?: boolean;
}) {
  const form = useForm<SecondFactorInput>({ resolver: useServerResolver(check, CODE_FIELDS), defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await submit(values);
    if (!result.ok) return showActionError(form, result.error, CODE_FIELDS);
    onDone(result.data);
  });
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-xs space-y-3">
      <FormError message={formErrorText(errors)} />
      <InputField form={form} name="code" id={id} label={label} hint={hint} inputMode={numeric ? "numeric" : undefined} autoComplete="one-time-code" spellCheck={false} />
      <Button type="submit" variant={danger ? "danger" : "primary"} disabled={isSubmitting}>
        {isSubmitting ? "Checking…" : button}
      </Button>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="space-y-3">
      <Alert tone="warning" title="Save your recovery codes now">
        Each works once, in place of a code from your app, if you lose your phone. They are not shown again.
      </Alert>
      <ul aria-label="Recovery codes" className="grid grid-cols-1 gap-1.5 rounded-md bg-zinc-50 p-3 font-mono text-sm text-zinc-900 sm:grid-cols-2">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <CopyButton value={codes.join("\n")} label="Copy recovery codes" />
        <Button variant="primary" onClick={onDone}>
          I have saved them
        </Button>
      </div>
    </div>
  );
}
