"use client";

/**
 * The form of filters kept in the page's address (url-filters.tsx): the form's strings are
 * checked by the server with the same schema that reads the address (server-resolver.ts), a
 * problem the server found in the address shows on its field, and Apply puts the checked
 * filters in the address, which renders the page again (the page normalises them as it reads).
 */
import { useRouter } from "next/navigation";
import { useMemo, useTransition } from "react";
import { useForm } from "react-hook-form";
import { fieldMap } from "@/components/forms/action-errors";
import { errorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { fromDateTimeLocal, toDateTimeLocal } from "@/components/history/format";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { FormName } from "@/lib/console/form-checks";
import type { Option } from "./url-filters";

/** The form's values: one string per filter key, empty for "any". */
type Values = Record<string, string>;

const isTime = (key: string) => key === "since" || key === "until";

/** Options with the current value kept even when the list lacks it (a deep link to an archived rule). */
function withCurrent(options: Option[], current: string): Option[] {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}

export function useUrlFilters<K extends string>({ keys, check, path, values, errors }: { keys: readonly K[]; check: FormName; path: string; values: Record<string, string>; errors: Record<string, string> }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const fields = useMemo(() => fieldMap(keys), [keys]);

  /** The form's strings as the schema's input: empty means "any", times are read as UTC. */
  const toInput = (v: Values) => {
    const out: Record<string, string> = {};
    for (const key of keys) {
      const value = isTime(key) ? fromDateTimeLocal(v[key] ?? "") : (v[key] ?? "").trim();
      if (value) out[key] = value;
    }
    return out;
  };

  const defaults: Values = Object.fromEntries(keys.map((k) => [k, isTime(k) ? toDateTimeLocal(values[k]) || (values[k] ?? "") : (values[k] ?? "")]));
  // Memoised: react-hook-form applies this prop again whenever its identity changes.
  const serverErrors = useMemo(() => Object.fromEntries(Object.entries(errors).map(([k, message]) => [fields(k) ?? "root.schema", { type: "server", message }])), [errors, fields]);
  const form = useForm<Values>({ defaultValues: defaults, resolver: useServerResolver(check, fields, { toInput }), errors: serverErrors });
  const e = form.formState.errors;

  const onSubmit = form.handleSubmit((v) => {
    const qs = new URLSearchParams(toInput(v)).toString();
    startTransition(() => router.push(qs ? `${path}?${qs}` : path, { scroll: false }));
  });

  const select = (key: K, label: string, any: string, list: Option[]) => (
    <Field id={`filter-${key}`} label={label} error={errorText(e, key)}>
      {(a) => (
        <Select {...a} {...form.register(key)} options={withCurrent(list, defaults[key] ?? "")}>
          <option value="">{any}</option>
        </Select>
      )}
    </Field>
  );

  /** From and To, in UTC; `noun` says what is counted ("Requests"). */
  const timeRange = (noun: string) => (
    <>
      <Field id="filter-since" label="From (UTC)" hint={`${noun} at or after this time.`} error={errorText(e, "since")}>
        {(a) => <Input {...a} type="datetime-local" step={1} {...form.register("since")} />}
      </Field>
      <Field id="filter-until" label="To (UTC)" hint={`${noun} before this time.`} error={errorText(e, "until")}>
        {(a) => <Input {...a} type="datetime-local" step={1} {...form.register("until")} />}
      </Field>
    </>
  );

  const buttons = (
    <div className="flex flex-wrap gap-2">
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Applying…" : "Apply filters"}
      </Button>
      {keys.some((k) => values[k]) && <ButtonLink href={path}>Clear filters</ButtonLink>}
    </div>
  );

  return { form, errors: e, onSubmit, select, timeRange, buttons };
}
