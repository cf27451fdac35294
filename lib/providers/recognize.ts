/**
 * Which identity provider minted a token, from its `iss` (and, for self-hosted products, the
 * shape of its claims). Labels and hints for the tester and the history; never a security
 * decision — the exchange trusts only the registered issuer URL, byte for byte.
 * @see docs/providers.md for the issuer formats.
 */
import type { Claims } from "../core/types";
import type { ProviderId } from "./preset";

export interface RecognizedProvider {
  /** The preset the provider's tokens fit (never `generic`: that is what an unrecognised one gets). */
  id: Exclude<ProviderId, "generic">;
  /** "GitHub Actions", "Amazon EKS", "GitLab (self-managed)"… */
  label: string;
  /**
   * `exact`: the provider's one well-known issuer; `pattern`: the provider's issuer URL
   * format; `heuristic`: a guess from the host name or the claims (self-hosted products).
   */
  certainty: "exact" | "pattern" | "heuristic";
  /** Parts of the issuer URL: region, cluster, tenant, organization… */
  details: Record<string, string>;
  /** What the provider puts in `aud` when the workload does not ask for an audience. */
  defaultAudiences: string[];
  /** Something worth knowing about this provider's tokens, when there is one thing. */
  note?: string;
}

export interface RecognizeOptions {
  /** The token's claims, for heuristics and for audiences derived from them (GitHub's owner URL). */
  claims?: Claims | undefined;
  /** This server's demo issuer URL. */
  demoIssuerUrl?: string | undefined;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const hasObject = (claims: Claims | undefined, key: string) => {
  const v = claims?.[key];
  return v !== null && typeof v === "object" && !Array.isArray(v);
};

interface Matcher {
  test: RegExp;
  make(m: RegExpExecArray, claims: Claims | undefined, iss: string): Omit<RecognizedProvider, "certainty"> & { certainty?: RecognizedProvider["certainty"] };
}

const SHARED_NOTE = "A shared issuer: every customer of the provider gets tokens from it, so a rule must pin your own organisation.";

/** Issuers by URL (trailing slashes removed). Order matters: the first match wins. */
const MATCHERS: Matcher[] = [
  {
    test: /^https:\/\/token\.actions\.githubusercontent\.com(?:\/([A-Za-z0-9_.-]+))?$/,
    make: (m, claims) => {
      const owner = str(claims?.repository_owner);
      return {
        id: "github-actions",
        label: "GitHub Actions",
        // The enterprise-specific form `…/ENTERPRISE` is a documented variant of the shared issuer.
        certainty: m[1] ? "pattern" : "exact",
        details: m[1] ? { enterprise: m[1] } : ({} as Record<string, string>),
        defaultAudiences: owner ? [`https://github.com/${owner}`] : [],
        ...(m[1] ? {} : { note: SHARED_NOTE }),
      };
    },
  },
  {
    test: /^https:\/\/([^/]+)\/_services\/token$/,
    make: (m, claims) => {
      const owner = str(claims?.repository_owner);
      return { id: "github-actions", label: "GitHub Enterprise Server", details: { host: m[1]! }, defaultAudiences: owner ? [`https://${m[1]}/${owner}`] : [] };
    },
  },
  {
    test: /^https:\/\/gitlab\.com$/,
    make: () => ({ id: "gitlab-ci", label: "GitLab.com", certainty: "exact", details: {}, defaultAudiences: [], note: SHARED_NOTE }),
  },
  {
    test: /^https:\/\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com\/id\/([A-Za-z0-9]+)$/,
    make: (m) => ({
      id: "kubernetes",
      label: "Amazon EKS",
      details: { region: m[1]!, cluster_id: m[2]! },
      // EKS's pod identity webhook projects tokens for STS unless told otherwise.
      defaultAudiences: ["sts.amazonaws.com"],
    }),
  },
  {
    test: /^https:\/\/container\.googleapis\.com\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/,
    make: (m, _claims, iss) => ({ id: "kubernetes", label: "Google GKE", details: { project: m[1]!, location: m[2]!, cluster: m[3]! }, defaultAudiences: [iss] }),
  },
  {
    test: /^https:\/\/([a-z0-9-]+)\.oic\.prod-aks\.azure\.com\/([0-9a-f-]+)\/([0-9a-f-]+)$/,
    make: (m, _claims, iss) => ({ id: "kubernetes", label: "Azure AKS", details: { region: m[1]!, tenant: m[2]!, cluster_issuer_id: m[3]! }, defaultAudiences: [iss, `${iss}/`] }),
  },
  {
    test: /^https:\/\/kubernetes\.default\.svc(?:\.cluster\.local)?$/,
    make: (_m, _claims, iss) => ({ id: "kubernetes", label: "Kubernetes", details: {}, defaultAudiences: [iss] }),
  },
  {
    test: /^https:\/\/([0-9a-f-]{36})\.tokens\.sts\.global\.api\.aws$/,
    make: (m) => ({ id: "aws", label: "AWS (outbound identity federation)", details: { account_issuer_id: m[1]! }, defaultAudiences: [] }),
  },
  {
    // Google signs with `https://accounts.google.com` or, in some flows, the bare host.
    test: /^(?:https:\/\/)?accounts\.google\.com$/,
    make: (m) => ({
      id: "google-cloud",
      label: "Google Cloud",
      certainty: "exact",
      details: {},
      defaultAudiences: [],
      note: m[0].startsWith("https://") ? SHARED_NOTE : "This token's iss has no https:// prefix; Google uses both forms, and the issuer URL must match the token's exactly.",
    }),
  },
  {
    test: /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0$/,
    make: (m) => ({ id: "azure", label: "Microsoft Entra ID", details: { tenant: m[1]! }, defaultAudiences: [] }),
  },
  {
    test: /^https:\/\/sts\.windows\.net\/([^/]+)$/,
    make: (m) => ({ id: "azure", label: "Microsoft Entra ID (v1 tokens)", details: { tenant: m[1]! }, defaultAudiences: [] }),
  },
  {
    test: /^https:\/\/([a-z0-9-]+)\.(okta|oktapreview|okta-emea)\.com\/oauth2\/([^/]+)$/,
    make: (m) => ({
      id: "okta",
      label: "Okta",
      details: { org: m[1]!, authorization_server: m[3]! },
      defaultAudiences: m[3] === "default" ? ["api://default"] : [],
    }),
  },
  {
    test: /^https:\/\/([a-z0-9-]+)\.(okta|oktapreview|okta-emea)\.com$/,
    make: (m) => ({
      id: "okta",
      label: "Okta (org authorization server)",
      details: { org: m[1]! },
      defaultAudiences: [],
      note: "Tokens from Okta's org authorization server cannot be verified by third parties; use a custom authorization server (…/oauth2/ID).",
    }),
  },
  {
    test: /^https:\/\/oidc\.circleci\.com\/org\/([0-9a-f-]+)$/,
    make: (m) => ({ id: "circleci", label: "CircleCI", details: { organization_id: m[1]! }, defaultAudiences: [m[1]!] }),
  },
  {
    test: /^https:\/\/agent\.buildkite\.com$/,
    make: (_m, claims) => {
      const org = str(claims?.organization_slug);
      return { id: "buildkite", label: "Buildkite", certainty: "exact", details: {}, defaultAudiences: org ? [`https://buildkite.com/${org}`] : [], note: SHARED_NOTE };
    },
  },
  {
    test: /^https:\/\/app\.terraform\.io$/,
    make: () => ({ id: "hcp-terraform", label: "HCP Terraform", certainty: "exact", details: {}, defaultAudiences: [], note: SHARED_NOTE }),
  },
];

/**
 * The provider behind `iss`, or null when nothing about it is recognisable. Trailing slashes
 * are ignored here (recognition only), so a near-miss issuer is still named.
 */
export function recognizeProvider(iss: unknown, options: RecognizeOptions = {}): RecognizedProvider | null {
  if (typeof iss !== "string" || iss === "") return null;
  const { claims, demoIssuerUrl } = options;
  const url = iss.replace(/\/+$/, "");
  if (demoIssuerUrl && url === demoIssuerUrl.replace(/\/+$/, "")) {
    return { id: "demo", label: "This server's demo issuer", certainty: "exact", details: {}, defaultAudiences: [], note: "Sample tokens minted by this console; for trying rules out, not for production workloads." };
  }
  for (const matcher of MATCHERS) {
    const m = matcher.test.exec(url);
    if (m) return { certainty: "pattern", ...matcher.make(m, claims, url) };
  }
  return recognizeByHeuristics(url, claims);
}

/** Self-hosted products and unknown clusters: a guess from the host name or the token's claims. */
function recognizeByHeuristics(url: string, claims: Claims | undefined): RecognizedProvider | null {
  let host = "";
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    // not a URL: only the claims can tell
  }
  const gitlabClaims = str(claims?.project_path) !== undefined && str(claims?.namespace_path) !== undefined;
  if (gitlabClaims || /(^|\.)gitlab\./.test(host) || host.startsWith("gitlab")) {
    return { id: "gitlab-ci", label: "GitLab (self-managed)", certainty: "heuristic", details: host ? { host } : {}, defaultAudiences: [] };
  }
  if (hasObject(claims, "kubernetes.io") || recognizeSubject(claims?.sub) === "kubernetes") {
    return { id: "kubernetes", label: "Kubernetes", certainty: "heuristic", details: host ? { host } : {}, defaultAudiences: [url] };
  }
  if (str(claims?.terraform_organization_name) !== undefined) {
    return { id: "hcp-terraform", label: "Terraform Enterprise", certainty: "heuristic", details: host ? { host } : {}, defaultAudiences: [] };
  }
  if (str(claims?.repository_owner) !== undefined && str(claims?.workflow_ref) !== undefined) {
    const owner = str(claims?.repository_owner)!;
    return { id: "github-actions", label: "GitHub Actions (custom issuer)", certainty: "heuristic", details: host ? { host } : {}, defaultAudiences: [`https://github.com/${owner}`] };
  }
  return null;
}

/** `sub` formats that name their provider. @see docs/providers.md for each provider's subject. */
const SUBJECT_FORMATS: ReadonlyArray<{ prefix: string; provider: ProviderId }> = [
  { prefix: "repo:", provider: "github-actions" },
  { prefix: "project_path:", provider: "gitlab-ci" },
  { prefix: "system:serviceaccount:", provider: "kubernetes" },
];

/** The provider whose subject format `subject` (a token's `sub`, or a rule's subject pattern) has, if any. */
export function recognizeSubject(subject: unknown): ProviderId | null {
  if (typeof subject !== "string") return null;
  return SUBJECT_FORMATS.find((f) => subject.startsWith(f.prefix))?.provider ?? null;
}

/**
 * Audiences a token carries when its workload asked for none — the provider's default, or
 * one that is a well-known default anywhere (`sts.amazonaws.com`, pitfall 11 in docs/providers.md).
 */
export function isDefaultAudience(aud: string, provider: RecognizedProvider | null): boolean {
  return aud === "sts.amazonaws.com" || (provider?.defaultAudiences.includes(aud) ?? false);
}
