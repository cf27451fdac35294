/**
 * AWS outbound identity federation (`sts:GetWebIdentityToken`): an issuer per account, the
 * caller's role ARN as `sub`, account details under `https://sts.amazonaws.com/`.
 * @see docs/providers.md#aws
 */
import { answer, celString, slugify, UUID, type ProviderPreset } from "./preset";

export const aws: ProviderPreset = {
  id: "aws",
  label: "AWS",
  description: "EC2, ECS, Lambda or anything with an IAM role, via outbound web identity federation.",
  issuer: {
    fields: [
      {
        name: "issuer_uuid",
        label: "Issuer ID",
        help: "After enabling outbound web identity federation, the account's issuer is https://ID.tokens.sts.global.api.aws (aws iam get-outbound-web-identity-federation-info).",
        required: true,
        placeholder: "0f8fad5b-d9cb-469f-a165-70867728950e",
        mono: true,
        ...UUID,
      },
    ],
    url: (values) => `https://${answer(values, "issuer_uuid")?.toLowerCase() ?? ""}.tokens.sts.global.api.aws`,
    keyModes: ["discovery"],
  },
  audienceField: null,
  fields: [
    {
      name: "role_arn",
      label: "IAM role ARN",
      help: "The role the workload runs as; matched exactly.",
      required: true,
      pattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$",
      patternMessage: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deployer",
      placeholder: "arn:aws:iam::123456789012:role/deployer",
      mono: true,
    },
    { name: "account_id", label: "AWS account ID", help: "Also require the token to come from this account.", required: false, pattern: "^[0-9]{12}$", patternMessage: "must be a 12-digit account ID", mono: true },
  ],
  composeMatch(values) {
    const account = answer(values, "account_id");
    return {
      subject_prefix: answer(values, "role_arn") ?? "",
      ...(account ? { condition: `claims["https://sts.amazonaws.com/"].aws_account == ${celString(account)}` } : {}),
    };
  },
  pitfalls: [
    "Match the role ARN exactly; a prefix such as arn:aws:iam::123456789012:role/* admits every role of the account.",
    "Request the token with the rule's audience (aws sts get-web-identity-token --audience …).",
    "Outbound web identity federation must be enabled on the account before tokens can be requested.",
  ],
  snippetInputs: () => ({}),
  suggestNames(values) {
    const role = slugify(answer(values, "role_arn")?.split("/").pop(), "role");
    return { issuer: "aws-sts", serviceAccount: slugify(`${role}`, "aws-workload"), rule: slugify(`aws-${role}`, "rule") };
  },
};
