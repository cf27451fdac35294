/**
 * Kubernetes projected service-account tokens: one issuer per cluster, subject
 * `system:serviceaccount:NAMESPACE:NAME`, the audience set on the projected volume.
 * @see docs/providers.md#kubernetes
 */
import { answer, answerHost, celString, slugify, typedIssuer, type ProviderPreset } from "./preset";

const DNS_LABEL = { pattern: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", patternMessage: "must be a Kubernetes name: lowercase letters, digits and -, starting and ending with a letter or digit" } as const;

export const kubernetes: ProviderPreset = {
  id: "kubernetes",
  label: "Kubernetes",
  description: "Pods on EKS, GKE, AKS or any cluster, with a projected service-account token.",
  issuer: typedIssuer(
    {
      name: "cluster_issuer",
      label: "Cluster issuer URL",
      help: "kubectl get --raw /.well-known/openid-configuration shows it. EKS: https://oidc.eks.REGION.amazonaws.com/id/ID; GKE: https://container.googleapis.com/v1/projects/P/locations/L/clusters/C; AKS: https://REGION.oic.prod-aks.azure.com/TENANT/UUID/.",
      pattern: "^https://[^\\s#?]+$",
      patternMessage: "must be the cluster's https issuer URL, exactly as in its tokens' iss",
      placeholder: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
    },
    "A private cluster's discovery endpoint is not reachable from here: give a JWKS URL, or paste the keys (kubectl get --raw /openid/v1/jwks).",
  ),
  audienceField: null,
  fields: [
    { name: "namespace", label: "Namespace", required: true, placeholder: "payments", mono: true, ...DNS_LABEL },
    {
      name: "service_account",
      label: "Kubernetes service account",
      help: "The pod's serviceAccountName.",
      required: true,
      pattern: "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$",
      patternMessage: "must be a Kubernetes name: lowercase letters, digits, - and .",
      placeholder: "api",
      mono: true,
    },
    {
      name: "service_account_uid",
      label: "Service account UID",
      help: "kubectl get sa NAME -n NAMESPACE -o jsonpath='{.metadata.uid}'. A re-created account with the same name gets a new UID.",
      required: false,
      pattern: "^[0-9a-fA-F-]{36}$",
      patternMessage: "must be a UID such as 0f8fad5b-d9cb-469f-a165-70867728950e",
      mono: true,
    },
  ],
  composeMatch(values) {
    const uid = answer(values, "service_account_uid");
    return {
      subject_prefix: `system:serviceaccount:${answer(values, "namespace") ?? ""}:${answer(values, "service_account") ?? ""}`,
      ...(uid ? { condition: `claims["kubernetes.io"].serviceaccount.uid == ${celString(uid)}` } : {}),
    };
  },
  pitfalls: [
    "Project a token with the rule's audience (serviceAccountToken.audience); the default token's audience is the cluster's API server, and EKS's pod identity token has sts.amazonaws.com.",
    "The issuer URL must equal the token's iss byte for byte; AKS issuers end with a slash.",
    "Private clusters: the issuer's discovery endpoint must be reachable from this server, or use a JWKS URL or inline keys (then update them when the cluster rotates its key).",
    "Point ANTHROPIC_IDENTITY_TOKEN_FILE at the projected token's path; the kubelet refreshes the file and the SDK re-reads it on each exchange.",
  ],
  snippetInputs: (values) => ({ kubernetes: { namespace: answer(values, "namespace") ?? "", serviceAccount: answer(values, "service_account") ?? "" } }),
  suggestNames(values) {
    const host = answerHost(values, "cluster_issuer")?.split(".")[0];
    const workload = slugify([answer(values, "namespace"), answer(values, "service_account")].filter(Boolean).join("-"), "k8s-workload");
    return { issuer: slugify(host ? `k8s-${host}` : "kubernetes", "kubernetes"), serviceAccount: workload, rule: workload };
  },
};
