/** Any other OIDC provider: the issuer URL and the subject are typed as they appear in its tokens. */
import { answer, answerHost, slugify, typedIssuer, type ProviderPreset } from "./preset";

export const generic: ProviderPreset = {
  id: "generic",
  label: "Other OIDC provider",
  description: "Any issuer of signed JWTs: discovery, a JWKS URL, or keys you paste.",
  issuer: typedIssuer({
    name: "issuer_url",
    label: "Issuer URL",
    help: "Exactly the tokens' iss claim, byte for byte (mind the trailing slash).",
    pattern: "^https?://[^\\s#?]+$",
    patternMessage: "must be an absolute https URL such as https://idp.example.com",
    placeholder: "https://idp.example.com",
  }),
  audienceField: null,
  fields: [
    {
      name: "subject",
      label: "Subject",
      help: "The tokens' sub, exactly; end it with * to match a prefix that ends at a delimiter (team/ci:*). A bare * is not allowed.",
      required: true,
      pattern: "^(?!\\*+$).{1,1024}$",
      patternMessage: "must name the subject or a prefix of it; a bare * is not a valid matcher",
      placeholder: "workload:deployer",
      mono: true,
    },
  ],
  composeMatch: (values) => ({ subject_prefix: answer(values, "subject") ?? "" }),
  pitfalls: [
    "The issuer URL must equal iss byte for byte: a trailing slash, port or case difference makes every token fail.",
    "Matching is exact and case-sensitive; a prefix should end at a delimiter (:, /) so that similar names do not match.",
    "Tokens need iat, exp and sub, a kid header, and an RS, PS or ES signature.",
  ],
  snippetInputs: () => ({}),
  suggestNames(values) {
    const sub = slugify(answer(values, "subject")?.replace(/\*$/, ""), "workload");
    return { issuer: slugify(answerHost(values, "issuer_url"), "oidc-issuer"), serviceAccount: sub, rule: slugify(`${sub}-rule`, "rule") };
  },
};
