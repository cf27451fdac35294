/**
 * For providers without a file of their own: a short script that puts an identity token with
 * the rule's audience where ANTHROPIC_IDENTITY_TOKEN_FILE points (set by the env block).
 * @see docs/providers.md for each provider's token source.
 */
import { percentEncode, shellQuote } from "./escape";
import type { ProviderId, Snippet, SnippetInput } from "./types";

export type NoteProvider = Exclude<ProviderId, "github-actions" | "gitlab-ci" | "kubernetes">;

interface Note {
  label: string;
  code: (audience: string) => string[];
  description: (audience: string) => string;
}

const TO_FILE = `> "$ANTHROPIC_IDENTITY_TOKEN_FILE"`;

const NOTES: Record<NoteProvider, Note> = {
  aws: {
    label: "AWS",
    code: (aud) => [
      "# AWS STS signs a JWT for the IAM role the workload runs as (Lambda, EC2, ECS, EKS).",
      "# Enable outbound web identity federation on the account first.",
      "aws sts get-web-identity-token \\",
      `  --audience ${shellQuote(aud)} \\`,
      "  --signing-algorithm RS256 \\",
      `  --query WebIdentityToken --output text ${TO_FILE}`,
    ],
    description: () => "The token's sub is the role ARN; it lives 5 minutes by default (--duration-seconds up to 3600). Run this again before each exchange.",
  },
  "google-cloud": {
    label: "Google Cloud",
    code: (aud) => [
      "# The metadata server signs an ID token for the attached service account.",
      'curl -fsS -H "Metadata-Flavor: Google" \\',
      `  "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=${percentEncode(aud)}&format=full" \\`,
      `  ${TO_FILE}`,
    ],
    description: () => "The token's sub is the service account's numeric unique ID. ID tokens live one hour; fetch a fresh one before each exchange.",
  },
  azure: {
    label: "Azure",
    code: (aud) => [
      "# The instance metadata service (IMDS) issues a managed-identity token for a resource.",
      'curl -fsS -H "Metadata: true" \\',
      `  "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${percentEncode(aud)}" |`,
      `  jq -r .access_token ${TO_FILE}`,
    ],
    description: () => "The rule's audience must be an application ID URI or client ID Entra ID will issue tokens for. Match oid and tid, not names.",
  },
  okta: {
    label: "Okta",
    code: () => [
      "# A service app gets an access token from a custom authorization server (client credentials).",
      'curl -fsS -u "$OKTA_CLIENT_ID:$OKTA_CLIENT_SECRET" \\',
      '  "https://$OKTA_DOMAIN/oauth2/$OKTA_AUTHORIZATION_SERVER_ID/v1/token" \\',
      '  -d grant_type=client_credentials -d scope="$OKTA_SCOPE" |',
      `  jq -r .access_token ${TO_FILE}`,
    ],
    description: (aud) => `Okta sets aud from the authorization server's Audience setting; set it to ${aud}. The org authorization server cannot be used.`,
  },
  circleci: {
    label: "CircleCI",
    code: (aud) => [
      "# The job's OIDC service signs a token with a custom audience.",
      `circleci run oidc get --claims "$(jq -cn --arg aud ${shellQuote(aud)} '{aud: $aud}')" ${TO_FILE}`,
    ],
    description: () => "Without --claims the token's aud is the organization ID (also in $CIRCLE_OIDC_TOKEN_V2).",
  },
  buildkite: {
    label: "Buildkite",
    code: (aud) => ["# The agent requests an OIDC token for the current job.", `buildkite-agent oidc request-token --audience ${shellQuote(aud)} ${TO_FILE}`],
    description: () => "The issuer is shared by every Buildkite organization: pin organization_slug in the rule's claims.",
  },
  "hcp-terraform": {
    label: "HCP Terraform",
    code: () => [
      "# With TFC_WORKLOAD_IDENTITY_AUDIENCE set on the workspace, HCP Terraform injects a token",
      "# into the run environment of its agents; save it in an agent hook.",
      `printf '%s' "$TFC_WORKLOAD_IDENTITY_TOKEN" ${TO_FILE}`,
    ],
    description: (aud) => `Set the workspace environment variable TFC_WORKLOAD_IDENTITY_AUDIENCE to ${aud}.`,
  },
  generic: {
    label: "Identity token",
    code: (aud) => [
      "# Ask your identity provider for a JWT with this audience and save it to the token file.",
      `audience=${shellQuote(aud)}`,
      `your-idp-token-command --audience "$audience" ${TO_FILE}`,
    ],
    description: () => "Any OIDC issuer works: the token must carry iss, sub, aud, iat and exp, and be signed with RS, PS or ES keys the issuer publishes.",
  },
  demo: {
    label: "Demo token",
    code: () => ["# The built-in demo issuer signs sample tokens in the console: Tester → Mint a sample token.", "# Paste one, then press Ctrl-D.", `cat ${TO_FILE}`],
    description: (aud) => `Mint the token with the audience ${aud}. Demo tokens can grant real access; keep them as secret as any token.`,
  },
};

export function tokenNoteSnippet(provider: NoteProvider, input: SnippetInput): Snippet {
  const note = NOTES[provider];
  return {
    id: "identity-token",
    label: note.label,
    language: "bash",
    code: `${note.code(input.audience).join("\n")}\n`,
    description: `Run with the environment block loaded: it writes the token to ANTHROPIC_IDENTITY_TOKEN_FILE. ${note.description(input.audience)}`,
  };
}
