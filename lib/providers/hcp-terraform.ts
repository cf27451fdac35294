/**
 * HCP Terraform (and Terraform Enterprise) dynamic provider credentials: subjects by
 * organisation, project, workspace and run phase. app.terraform.io is shared by every customer.
 * @see docs/providers.md#hcp-terraform
 */
import { answer, sharedOrSelfHostedIssuer, slugify, type ProviderPreset } from "./preset";

export const TERRAFORM_ISSUER = "https://app.terraform.io";

const NAME = { pattern: "^[^:*]+$", patternMessage: "must not contain : or *" } as const;

export const hcpTerraform: ProviderPreset = {
  id: "hcp-terraform",
  label: "HCP Terraform",
  description: "Terraform runs on HCP Terraform or Terraform Enterprise, with workload identity tokens.",
  issuer: sharedOrSelfHostedIssuer({
    host: { name: "tfe_host", label: "Terraform Enterprise host", help: "Leave empty for HCP Terraform (app.terraform.io).", placeholder: "tfe.example.com" },
    shared: TERRAFORM_ISSUER,
    keyModes: ["discovery"],
    note: "app.terraform.io is shared by every HCP Terraform organisation: the rule pins yours.",
  }),
  audienceField: null,
  fields: [
    { name: "organization", label: "Organization", required: true, pattern: "^[A-Za-z0-9_-]+$", patternMessage: "must be an organisation name: letters, digits, _ and -", placeholder: "acme", mono: true },
    { name: "project", label: "Project", help: "Runs in workspaces of this project.", required: true, defaultValue: "Default Project", mono: true, ...NAME },
    { name: "workspace", label: "Workspace", help: "Leave empty for every workspace of the project.", required: false, placeholder: "networking-prod", mono: true, ...NAME },
    {
      name: "run_phase",
      label: "Run phase",
      help: "Plans run for every pull request; give apply-only rules more power than plan rules.",
      required: true,
      defaultValue: "any",
      options: [
        { value: "any", label: "Plan and apply" },
        { value: "plan", label: "Plan only" },
        { value: "apply", label: "Apply only" },
      ],
    },
  ],
  composeMatch(values) {
    const base = `organization:${answer(values, "organization") ?? ""}:project:${answer(values, "project") ?? ""}:workspace:`;
    const workspace = answer(values, "workspace");
    const phase = answer(values, "run_phase") ?? "any";
    if (!workspace) return { subject_prefix: `${base}*` };
    return { subject_prefix: phase === "any" ? `${base}${workspace}:run_phase:*` : `${base}${workspace}:run_phase:${phase}` };
  },
  pitfalls: [
    "Set TFC_WORKLOAD_IDENTITY_AUDIENCE to the rule's audience in the workspace's variables.",
    "Plans run for speculative pull-request runs too: restrict powerful rules to run_phase apply.",
    "Organisation, project and workspace names can be renamed; the rule then stops matching.",
  ],
  snippetInputs: () => ({}),
  suggestNames(values) {
    const org = slugify(answer(values, "organization"), "terraform");
    const ws = answer(values, "workspace");
    return { issuer: answer(values, "tfe_host") ? slugify(answer(values, "tfe_host"), "terraform-enterprise") : "hcp-terraform", serviceAccount: slugify(`${org}-terraform`, "terraform"), rule: slugify(`${org}-${ws ?? "all"}-${answer(values, "run_phase") ?? "any"}`, "rule") };
  },
};
