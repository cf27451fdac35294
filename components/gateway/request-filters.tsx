"use client";

/**
 * The Requests page's filters. They live in the URL (shareable; the server renders the list
 * and the charts from it); the schema that checks them here (through the server, before the
 * address changes) also checks the page's URL and the Admin API's query.
 */
import { useRouter } from "next/navigation";
import { useMemo, useTransition } from "react";
import { useForm } from "react-hook-form";
import { fieldMap } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { fromDateTimeLocal, toDateTimeLocal } from "@/components/history/format";
import type { Option } from "@/components/history/auth-event-filters";
import { FormError } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { GATEWAY_REQUEST_FILTER_KEYS } from "@/lib/schemas/vocabulary";

type FilterKey = (typeof GATEWAY_REQUEST_FILTER_KEYS)[number];
type FilterValues = Record<FilterKey, string>;

export interface RequestFilterOptions {
  serviceAccounts: Option[];
  apiKeys: Option[];
  workspaces: Option[];
}

const FIELDS = fieldMap(GATEWAY_REQUEST_FILTER_KEYS);
const isTime = (k: FilterKey) => k === "since" || k === "until";

/** The form's strings as the schema's input: empty means "any", times are read as UTC. */
function toInput(v: FilterValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of GATEWAY_REQUEST_FILTER_KEYS) {
    const value = isTime(key) ? fromDateTimeLocal(v[key]) : v[key].trim();
    if (value) out[key] = value;
  }
  return out;
}

function withCurrent(options: Option[], current: string): Option[] {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}

export function RequestFilters({ values, errors, options }: { values: Record<string, string>; errors: Record<string, string>; options: RequestFilterOptions }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const defaults = Object.fromEntries(GATEWAY_REQUEST_FILTER_KEYS.map((k) => [k, isTime(k) ? toDateTimeLocal(values[k]) || (values[k] ?? "") : (values[k] ?? "")])) as FilterValues;
  // Memoised: react-hook-form applies this prop again whenever its identity changes.
  const serverErrors = useMemo(() => Object.fromEntries(Object.entries(errors).map(([k, message]) => [FIELDS(k) ?? "root.schema", { type: "server", message }])), [errors]);
  const form = useForm<FilterValues>({ defaultValues: defaults, resolver: useServerResolver("requests.filters", FIELDS, { toInput }), errors: serverErrors });
  const e = form.formState.errors;
  const active = GATEWAY_REQUEST_FILTER_KEYS.some((k) => values[k]);

  const onSubmit = form.handleSubmit((v) => {
    const qs = new URLSearchParams(toInput(v)).toString();
    startTransition(() => router.push(qs ? `/requests?${qs}` : "/requests", { scroll: false }));
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
    <form onSubmit={onSubmit} noValidate aria-label="Filter requests" className="space-y-4">
      <FormError message={formErrorText(e)} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {select("service_account_id", "Service account", "Any service account", options.serviceAccounts)}
        {select("api_key_id", "API key", "Any API key", options.apiKeys)}
        {select("workspace_id", "Workspace", "Any workspace", options.workspaces)}
        <Field id="filter-model" label="Model" error={errorText(e, "model")}>
          {(a) => <Input {...a} spellCheck={false} autoComplete="off" placeholder="claude-sonnet-4-5" className="w-full font-mono" {...form.register("model")} />}
        </Field>
        <Field id="filter-status" label="Status" hint="An HTTP status such as 429." error={errorText(e, "status")}>
          {(a) => <Input {...a} inputMode="numeric" autoComplete="off" placeholder="200" {...form.register("status")} />}
        </Field>
        <Field id="filter-since" label="From (UTC)" hint="Requests at or after this time." error={errorText(e, "since")}>
          {(a) => <Input {...a} type="datetime-local" step={1} {...form.register("since")} />}
        </Field>
        <Field id="filter-until" label="To (UTC)" hint="Requests before this time." error={errorText(e, "until")}>
          {(a) => <Input {...a} type="datetime-local" step={1} {...form.register("until")} />}
        </Field>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Applying…" : "Apply filters"}
        </Button>
        {active && <ButtonLink href="/requests">Clear filters</ButtonLink>}
      </div>
    </form>
  );
}
