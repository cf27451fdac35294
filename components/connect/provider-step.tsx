"use client";

import type { UseFormReturn } from "react-hook-form";
import { errorText } from "@/components/forms/error-text";
import { FieldError } from "@/components/ui/field-error";
import { PROVIDERS, type ProviderPreset } from "@/lib/providers";
import type { ConnectFormValues } from "./wizard-model";

function ProviderCard({ preset, form, onSelect, disabled, note }: { preset: ProviderPreset; form: UseFormReturn<ConnectFormValues>; onSelect: (id: string) => void; disabled?: boolean; note?: string }) {
  const descriptionId = `provider-${preset.id}-description`;
  return (
    <label
      className={
        "flex cursor-pointer gap-2.5 rounded-md border border-zinc-300 bg-white p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50 has-focus-visible:outline-2 has-focus-visible:outline-brand-600 has-disabled:cursor-not-allowed has-disabled:opacity-60"
      }
    >
      <input
        type="radio"
        value={preset.id}
        disabled={disabled}
        aria-describedby={descriptionId}
        className="mt-0.5 size-4 shrink-0 accent-brand-600 focus-visible:outline-none"
        {...form.register("provider", { onChange: (e: { target: { value: string } }) => onSelect(e.target.value) })}
      />
      <span>
        <span className="block font-medium text-zinc-900">{preset.label}</span>
        <span id={descriptionId} className="mt-0.5 block text-[13px] text-zinc-600">
          {preset.description}
          {note && <span className="mt-1 block text-amber-800">{note}</span>}
        </span>
      </span>
    </label>
  );
}

export function ProviderStep({ form, onSelect, demoAvailable }: { form: UseFormReturn<ConnectFormValues>; onSelect: (id: string) => void; demoAvailable: boolean }) {
  const demo = PROVIDERS.find((p) => p.id === "demo")!;
  return (
    <fieldset aria-describedby="provider-error" className="space-y-4">
      <legend className="sr-only">Where the workload runs</legend>
      <FieldError id="provider-error" message={errorText(form.formState.errors, "provider")} />
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {PROVIDERS.filter((p) => p.id !== "demo").map((p) => (
          <ProviderCard key={p.id} preset={p} form={form} onSelect={onSelect} />
        ))}
      </div>
      <div className="border-t border-zinc-200 pt-4">
        <p className="mb-2 text-sm font-medium text-zinc-900">Or try the flow without an outside provider</p>
        <div className="sm:max-w-md">
          <ProviderCard
            preset={{ ...demo, label: "Use the demo issuer" }}
            form={form}
            onSelect={onSelect}
            disabled={!demoAvailable}
            note={demoAvailable ? undefined : "Unavailable: this server's public URL is not https and WIF_ALLOW_INSECURE_ISSUERS is off."}
          />
        </div>
      </div>
    </fieldset>
  );
}
