"use server";
/** Sign-in settings: single sign-on providers, the sign-in policy and the role-mapping tester. Owners only (checked here and in lib/services/sso-providers). */
import { parseResourceId } from "@/lib/console/action-result";
import { getRuntime } from "@/lib/runtime";
import { createSsoProvider, deleteSsoProvider, setSignInPolicy, tryRoleMappings, updateSsoProvider } from "@/lib/services/sso-providers";
import { runAs } from "./run-as";

const withSecrets = async <T extends object>(ctx: T) => ({ ...ctx, secrets: (await getRuntime()).secrets });

export async function createSsoProviderAction(input: unknown) {
  return runAs("owner", async (ctx) => createSsoProvider(await withSecrets(ctx), input));
}

export async function updateSsoProviderAction(id: unknown, input: unknown) {
  return runAs("owner", async (ctx) => updateSsoProvider(await withSecrets(ctx), parseResourceId(id), input));
}

export async function deleteSsoProviderAction(id: unknown) {
  return runAs("owner", (ctx) => deleteSsoProvider(ctx, parseResourceId(id)));
}

export async function setSignInPolicyAction(input: unknown) {
  return runAs("owner", (ctx) => setSignInPolicy(ctx, input));
}

export async function tryRoleMappingsAction(id: unknown, input: unknown) {
  return runAs("owner", (ctx) => tryRoleMappings(ctx, id === null ? null : parseResourceId(id), input));
}
