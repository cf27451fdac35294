"use client";

import { useRouter } from "next/navigation";
import { useMemo, useTransition } from "react";
import { useForm } from "react-hook-form";
import { fieldMap } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { AUTH_EVENT_FILTER_KEYS } from "@/lib/schemas/vocabulary";
import { fromDateTimeLocal, toDateTimeLocal } from "./format";

type FilterKey = (typeof AUTH_EVENT_FILTER_KEYS)[number];
type FilterValues = Record<FilterKey, string>;

export interface Option {
  value: string;
  label: string;
}

export interface FilterOptions {
  reasons: Option[];
  issuers: Option[];
  rules: Option[];
  serviceAccounts: Option[];
  workspaces: Option[];
}

const FIELDS = fieldMap(AUTH_EVENT_FILTER_KEYS);
/** Filters behind "More filters"; that section opens by itself when one of them is set. */
const MORE: readonly FilterKey[] = ["issuer_id", "federation_rule_id", "service_account_id", "workspace_id", "since", "until"];

/** The form's strings as the schema's input: empty means "any", times are read as UTC. */
function toInput(v: FilterValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of AUTH_EVENT_FILTER_KEYS) {
    const value = key === "since" || key === "until" ? fromDateTimeLocal(v[key]) : v[key].trim();
    if (value) out[key] = value;
  }
  return out;
}

/** Options with the current value kept even when the list lacks it (a deep link to an archived rule). */
function withCurrent(options: Option[], current: string): Option[] {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}

/**
 * The exchange filters. They live in the URL (shareable, and the server renders the first
 * page from it); the same schema checks them here (through the server, before the address
 * changes), in the page, in the data route and in the Admin API.
 */
export function AuthEventFilters({ values, errors, options }: { values: Record<string, string>; errors: Record<string, string>; options: FilterOptions }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const defaults = Object.fromEntries(AUTH_EVENT_FILTER_KEYS.map((k) => [k, k === "since" || k === "until" ? toDateTimeLocal(values[k]) || (values[k] ?? "") : (values[k] ?? "")])) as FilterValues;
  // Problems with the URL's own filters, found by the server, shown where a typed one would be.
  // Memoised: react-hook-form applies this prop again whenever its identity changes.
  const serverErrors = useMemo(() => Object.fromEntries(Object.entries(errors).map(([k, message]) => [FIELDS(k) ?? "root.schema", { type: "server", message }])), [errors]);
  const form = useForm<FilterValues>({ defaultValues: defaults, resolver: useServerResolver("history.filters", FIELDS, { toInput }), errors: serverErrors });
  const e = form.formState.errors;
  const active = AUTH_EVENT_FILTER_KEYS.some((k) => values[k]);
  const moreOpen = MORE.some((k) => values[k] || errors[k]);

  const onSubmit = form.handleSubmit((v) => {
    const qs = new URLSearchParams(toInput(v)).toString();
    startTransition(() => router.push(qs ? `/history?${qs}` : "/history", { scroll: false }));
  });

  const select = (key: FilterKey, label: string, any: string, list: Option[]) => (
    <Field id={`filter-${key}`} label={label} error={errorText(e, key)}>
      {(a) => (
        <Select {...a} {...form.register(key)} options={withCurrent(list, defaults[key])}>
          <option value="">{any}</option>
        </Select>
      )}
    </Field>
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Filter exchanges" className="space-y-4">
      <FormError message={formErrorText(e)} />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {select("outcome", "Outcome", "Any outcome", [
          { value: "granted", label: "Granted" },
          { value: "denied", label: "Denied" },
        ])}
        {select("reason", "Reason", "Any reason", options.reasons)}
        <div className="col-span-2 sm:col-span-1">
          <Field id="filter-q" label="Subject contains" error={errorText(e, "q")}>
            {(a) => <Input {...a} type="search" spellCheck={false} autoComplete="off" placeholder="repo:acme/app" {...form.register("q")} />}
          </Field>
        </div>
        <div className="col-span-2 sm:col-span-1">
          <Field id="filter-request_id" label="Request ID" error={errorText(e, "request_id")}>
            {(a) => <Input {...a} spellCheck={false} autoComplete="off" placeholder="req_…" className="w-full font-mono" {...form.register("request_id")} />}
          </Field>
        </div>
      </div>
      <details open={moreOpen || undefined} className="group">
        <summary className="cursor-pointer rounded text-sm font-medium text-brand-700 select-none hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">More filters</summary>
        <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {select("issuer_id", "Issuer", "Any issuer", options.issuers)}
          {select("federation_rule_id", "Rule", "Any rule", options.rules)}
          {select("service_account_id", "Service account", "Any service account", options.serviceAccounts)}
          {select("workspace_id", "Workspace", "Any workspace", options.workspaces)}
          <Field id="filter-since" label="From (UTC)" hint="Exchanges at or after this time." error={errorText(e, "since")}>
            {(a) => <Input {...a} type="datetime-local" step={1} {...form.register("since")} />}
          </Field>
          <Field id="filter-until" label="To (UTC)" hint="Exchanges before this time." error={errorText(e, "until")}>
            {(a) => <Input {...a} type="datetime-local" step={1} {...form.register("until")} />}
          </Field>
        </div>
      </details>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Applying…" : "Apply filters"}
        </Button>
        {active && <ButtonLink href="/history">Clear filters</ButtonLink>}
      </div>
    </form>
  );
}
