"use client";

import { useUrlFilters } from "@/components/filters/filter-form";
import type { Option } from "@/components/filters/url-filters";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { AUTH_EVENT_FILTER_KEYS } from "@/lib/schemas/vocabulary";

type FilterKey = (typeof AUTH_EVENT_FILTER_KEYS)[number];

export interface FilterOptions {
  reasons: Option[];
  issuers: Option[];
  rules: Option[];
  serviceAccounts: Option[];
  workspaces: Option[];
}

/** Filters behind "More filters"; that section opens by itself when one of them is set. */
const MORE: readonly FilterKey[] = ["issuer_id", "federation_rule_id", "service_account_id", "workspace_id", "since", "until"];

/**
 * The exchange filters. They live in the URL (shareable, and the server renders the first
 * page from it); the same schema checks them here (through the server, before the address
 * changes), in the page, in the data route and in the Admin API.
 */
export function AuthEventFilters({ values, errors, options }: { values: Record<string, string>; errors: Record<string, string>; options: FilterOptions }) {
  const { form, errors: e, onSubmit, select, timeRange, buttons } = useUrlFilters({ keys: AUTH_EVENT_FILTER_KEYS, check: "history.filters", path: "/history", values, errors });
  const moreOpen = MORE.some((k) => values[k] || errors[k]);
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
          {timeRange("Exchanges")}
        </div>
      </details>
      {buttons}
    </form>
  );
}
