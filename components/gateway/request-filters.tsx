"use client";

/**
 * The Requests page's filters. They live in the URL (shareable; the server renders the list
 * and the charts from it); the schema that checks them here (through the server, before the
 * address changes) also checks the page's URL and the Admin API's query.
 */
import { useUrlFilters } from "@/components/filters/filter-form";
import type { Option } from "@/components/filters/url-filters";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { GATEWAY_REQUEST_FILTER_KEYS } from "@/lib/schemas/vocabulary";

export interface RequestFilterOptions {
  serviceAccounts: Option[];
  apiKeys: Option[];
  workspaces: Option[];
}

export function RequestFilters({ values, errors, options }: { values: Record<string, string>; errors: Record<string, string>; options: RequestFilterOptions }) {
  const { form, errors: e, onSubmit, select, timeRange, buttons } = useUrlFilters({ keys: GATEWAY_REQUEST_FILTER_KEYS, check: "requests.filters", path: "/requests", values, errors });
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
        {timeRange("Requests")}
      </div>
      {buttons}
    </form>
  );
}
