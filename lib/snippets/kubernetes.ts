/**
 * A Kubernetes pod whose projected service-account token carries the rule's audience and is
 * mounted where ANTHROPIC_IDENTITY_TOKEN_FILE points; the kubelet keeps the file fresh.
 * @see docs/providers.md#kubernetes; https://kubernetes.io/docs/concepts/storage/projected-volumes/
 */
import { federationEnv, KUBERNETES_TOKEN_DIR, KUBERNETES_TOKEN_NAME } from "./env";
import { kubernetesEnvLiteral } from "./escape";
import type { Snippet, SnippetInput } from "./types";
import { renderYaml } from "./yaml";

/** One hour: the kubelet renews the file after 80 % of it, before the SDK's next exchange at the default rule lifetime. */
export const TOKEN_EXPIRATION_SECONDS = 3600;
const VOLUME = "anthropic-identity-token";

export function kubernetesSnippet(input: SnippetInput): Snippet {
  const namespace = input.kubernetes?.namespace || "default";
  const serviceAccount = input.kubernetes?.serviceAccount || "default";
  const env = [...federationEnv(input), ["ANTHROPIC_IDENTITY_TOKEN_FILE", `${KUBERNETES_TOKEN_DIR}/${KUBERNETES_TOKEN_NAME}`] as const].map(([name, value]) => ({
    name,
    value: kubernetesEnvLiteral(value),
  }));
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "claude-workload", namespace },
    spec: {
      serviceAccountName: serviceAccount,
      containers: [
        {
          name: "app",
          image: "your-registry.example/your-app:latest",
          env,
          volumeMounts: [{ name: VOLUME, mountPath: KUBERNETES_TOKEN_DIR, readOnly: true }],
        },
      ],
      volumes: [
        {
          name: VOLUME,
          projected: {
            sources: [{ serviceAccountToken: { path: KUBERNETES_TOKEN_NAME, audience: input.audience, expirationSeconds: TOKEN_EXPIRATION_SECONDS } }],
          },
        },
      ],
    },
  };
  return {
    id: "kubernetes-pod",
    label: "Kubernetes pod",
    language: "yaml",
    filename: "claude-workload.yaml",
    code: renderYaml(pod, [
      "Authenticates to Claude with workload identity federation: no API key in a Secret.",
      "The projected token's sub is system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT.",
    ]),
    description:
      "Copy the env, volumeMounts and volumes into your Deployment's pod template. The kubelet replaces the token after 80 % of " +
      "expirationSeconds; if the issuer checks jti, an exchange before then reuses the token and is refused, so keep the rule's token lifetime near one hour.",
  };
}
