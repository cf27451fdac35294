/**
 * Azure / Entra ID managed and workload identities: an issuer per tenant, matched on the
 * identity's object ID (`oid`) and tenant (`tid`); `aud` is the app the token is for.
 * @see docs/providers.md#azure-and-entra-id
 */
import { answer, claimsOf, slugify, UUID, type ProviderPreset } from "./preset";

export const azure: ProviderPreset = {
  id: "azure",
  label: "Azure",
  description: "Managed identities and Entra ID workload identities (VMs, AKS, Functions, App Service).",
  issuer: {
    fields: [
      { name: "tenant_id", label: "Tenant ID", help: "The Entra ID (directory) tenant's ID.", required: true, placeholder: "72f988bf-86f1-41af-91ab-2d7cd011db47", mono: true, ...UUID },
      {
        name: "token_version",
        label: "Token version",
        help: "v2.0 tokens have iss https://login.microsoftonline.com/TENANT/v2.0; v1.0 tokens https://sts.windows.net/TENANT/. Decode one to check.",
        required: true,
        defaultValue: "v2",
        options: [
          { value: "v2", label: "v2.0" },
          { value: "v1", label: "v1.0" },
        ],
      },
    ],
    url: (values) => {
      const tenant = answer(values, "tenant_id")?.toLowerCase() ?? "";
      return answer(values, "token_version") === "v1" ? `https://sts.windows.net/${tenant}/` : `https://login.microsoftonline.com/${tenant}/v2.0`;
    },
    keyModes: ["discovery"],
  },
  audienceField: "app_audience",
  fields: [
    { name: "object_id", label: "Identity object ID", help: "The managed identity's (or service principal's) object ID, the token's oid.", required: true, mono: true, ...UUID },
    {
      name: "app_audience",
      label: "Audience",
      help: "The application the token is requested for: its client ID or Application ID URI (api://…), the token's aud.",
      required: true,
      pattern: "^\\S+$",
      patternMessage: "must not contain spaces",
      placeholder: "api://wif-console",
      mono: true,
    },
  ],
  composeMatch(values) {
    return { audience: answer(values, "app_audience") ?? "", claims: claimsOf({ oid: answer(values, "object_id")?.toLowerCase(), tid: answer(values, "tenant_id")?.toLowerCase() }) ?? {} };
  },
  pitfalls: [
    "Match oid (and tid) exactly; names and display names are not unique.",
    "aud is the application's client ID or Application ID URI, not https://api.anthropic.com, unless you registered an app with that URI.",
    "v1.0 and v2.0 tokens have different issuers; the issuer URL must equal the token's iss byte for byte (v1.0 ends with a slash).",
  ],
  snippetInputs: () => ({}),
  suggestNames: (values) => ({ issuer: slugify(`entra-${answer(values, "tenant_id")?.slice(0, 8)}`, "entra"), serviceAccount: "azure-workload", rule: slugify(`azure-${answer(values, "object_id")?.slice(0, 8)}`, "rule") }),
};
