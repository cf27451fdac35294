/** Every identity-provider preset, in the order the guided setup shows them. */
import { aws } from "./aws";
import { azure } from "./azure";
import { buildkite } from "./buildkite";
import { circleci } from "./circleci";
import { demo } from "./demo";
import { generic } from "./generic";
import { githubActions } from "./github-actions";
import { gitlabCi } from "./gitlab-ci";
import { googleCloud } from "./google-cloud";
import { hcpTerraform } from "./hcp-terraform";
import { kubernetes } from "./kubernetes";
import { okta } from "./okta";
import type { ProviderId, ProviderPreset } from "./preset";

export type { FieldDescriptor, FieldValues, KeyMode, ProviderId, ProviderPreset } from "./preset";
export { answerProblems, defaultValues, visibleFields } from "./preset";

/** The eleven provider presets and, last, the built-in demo issuer. */
export const PROVIDERS: readonly ProviderPreset[] = [githubActions, gitlabCi, kubernetes, aws, googleCloud, azure, okta, circleci, buildkite, hcpTerraform, generic, demo];

const BY_ID = new Map(PROVIDERS.map((p) => [p.id, p]));

export function getProvider(id: ProviderId): ProviderPreset;
export function getProvider(id: string): ProviderPreset | undefined;
export function getProvider(id: string): ProviderPreset | undefined {
  return BY_ID.get(id as ProviderId);
}

export const isProviderId = (id: unknown): id is ProviderId => typeof id === "string" && BY_ID.has(id as ProviderId);
