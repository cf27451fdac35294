/**
 * The console's forms, each with the zod schema its operation parses with: `checkFormAction`
 * checks a form's input against it, so the form shows the schema's own messages beside its
 * fields while zod, and what the schemas use (CEL for conditions, the JWK checks), stays on
 * the server. The operation parses the same input again when it runs.
 * @see docs/architecture.md#page-weight
 */
import "server-only";
import type { z } from "zod";
import { ApiError } from "../core/errors";
import { fieldErrors } from "../schemas/common";
import { connectWorkload } from "../schemas/connect";
import { liveExchangeRequest, sampleTokenRequest, tokenTest } from "../schemas/tester";
import { upstreamUpdate, gatewayRequestFilters } from "../schemas/gateway";
import { authEventFilters } from "../schemas/history";
import { issuerCreate, issuerUpdate } from "../schemas/issuers";
import { ruleCreate, ruleUpdate, ruleWorkspaceAdd } from "../schemas/rules";
import { serviceAccountCreate, serviceAccountUpdate, serviceAccountWorkspaceAdd } from "../schemas/service-accounts";
import { secondFactorInput, signInPolicyInput, totpConfirmInput } from "../schemas/sso";
import { setupInput, userCreate } from "../schemas/users";
import { adminKeyCreate, apiKeyCreate, workspaceCreate, workspaceUpdate } from "../schemas/workspaces";

const FORMS = {
  "issuer.create": issuerCreate,
  "issuer.update": issuerUpdate,
  "rule.create": ruleCreate,
  "rule.update": ruleUpdate,
  "rule.workspace": ruleWorkspaceAdd,
  "service_account.create": serviceAccountCreate,
  "service_account.update": serviceAccountUpdate,
  "service_account.workspace": serviceAccountWorkspaceAdd,
  "workspace.create": workspaceCreate,
  "workspace.update": workspaceUpdate,
  "api_key.create": apiKeyCreate,
  "admin_key.create": adminKeyCreate,
  "user.create": userCreate,
  connect: connectWorkload,
  "tester.test": tokenTest,
  "tester.sample": sampleTokenRequest,
  "tester.live": liveExchangeRequest,
  "history.filters": authEventFilters,
  "requests.filters": gatewayRequestFilters,
  "upstream.update": upstreamUpdate,
  "sign_in_policy.update": signInPolicyInput,
  "totp.confirm": totpConfirmInput,
  // The forms of a visitor who is not signed in yet. (`second_factor` also serves a signed-in
  // user's code when they remove their factor: the same field, the same schema.) (The password step has no check of its own:
  // its endpoint, answered before Next, checks and names the field; lib/server/password-sign-in.ts.)
  "second_factor": secondFactorInput,
  setup: setupInput,
} satisfies Record<string, z.ZodType>;

export type FormName = keyof typeof FORMS;

const SIGNED_OUT_FORMS: ReadonlySet<FormName> = new Set(["second_factor", "setup"]);

/** Which form `name` is; anything else is a bad request. */
export function formNamed(name: unknown): FormName {
  if (typeof name === "string" && Object.hasOwn(FORMS, name)) return name as FormName;
  throw new ApiError(400, "form: must be one of the console's forms", "form");
}

/** Whether a visitor who is not signed in fills the form (sign-in and first-run setup). */
export const filledSignedOut = (form: FormName) => SIGNED_OUT_FORMS.has(form);

/** The input's problems as API field path → message (`""` ends up `_form`): none when it parses. */
export function formProblems(form: FormName, input: unknown): Record<string, string> {
  const parsed = FORMS[form].safeParse(input ?? {});
  return parsed.success ? {} : fieldErrors(parsed.error);
}
