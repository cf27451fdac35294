"use client";

import type { UseFormReturn } from "react-hook-form";
import { InputField, SelectField } from "@/components/forms/fields";
import { errorText } from "@/components/forms/error-text";
import { ORGANIZATION_ROLES } from "@/components/resources/format";
import type { ConnectFormValues } from "./wizard-model";
import type { ConnectOptions } from "@/lib/console/connect-options";

const ROLE_HELP = {
  developer: "Uses the API in its workspaces. Right for almost every workload.",
  admin: "May also administer the organization (needed only for rules with org:admin).",
} as const;

export function ServiceAccountStep({ form, values, options }: { form: UseFormReturn<ConnectFormValues>; values: ConnectFormValues; options: ConnectOptions }) {
  const errors = form.formState.errors;
  const sa = values.service_account;
  return (
    <div className="space-y-6">
      <p className="text-sm text-zinc-700">The identity the workload acts as once its token is exchanged: API calls, limits and history are recorded under it.</p>
      {options.serviceAccounts.length > 0 && (
        <fieldset className="space-y-2">
          <legend className="sr-only">New or existing service account</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {(
              [
                ["new", "Create a service account", "A new identity for this workload."],
                ["existing", "Use an existing one", `${options.serviceAccounts.length} live service account${options.serviceAccounts.length === 1 ? "" : "s"}.`],
              ] as const
            ).map(([value, label, description]) => (
              <label key={value} className="flex cursor-pointer gap-2.5 rounded-md border border-zinc-300 p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50 has-focus-visible:outline-2 has-focus-visible:outline-brand-600">
                <input type="radio" value={value} className="mt-0.5 size-4 accent-brand-600 focus-visible:outline-none" {...form.register("service_account.mode")} />
                <span>
                  <span className="block font-medium text-zinc-900">{label}</span>
                  <span className="block text-[13px] text-zinc-600">{description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}

      {sa.mode === "existing" ? (
        <SelectField form={form} name="service_account.id" id="service-account-id" label="Service account" options={options.serviceAccounts.map((s) => ({ value: s.id, label: `${s.name} (${s.role})` }))} />
      ) : (
        <div className="space-y-5">
          <div className="grid gap-5 sm:grid-cols-2">
            <InputField form={form} name="service_account.name" id="service-account-name" label="Service account name" hint="Lowercase letters, digits and hyphens." autoComplete="off" spellCheck={false} />
            <SelectField form={form} name="service_account.organization_role" id="service-account-role" label="Organization role" hint={ROLE_HELP[sa.organization_role]} options={ORGANIZATION_ROLES} />
          </div>
          <InputField form={form} name="service_account.description" id="service-account-description" label="Description" optional />
        </div>
      )}
      {errorText(errors, "service_account.name") && sa.mode === "existing" && <p className="text-sm text-red-700">{errorText(errors, "service_account.name")}</p>}
    </div>
  );
}
