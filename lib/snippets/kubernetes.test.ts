import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubernetesSnippet } from "./kubernetes";
import { BASE_ENV, BASE_INPUT, HOSTILE_VALUES, hostileInput } from "./test-fixtures";
import type { SnippetInput } from "./types";

interface Pod {
  apiVersion: string;
  kind: string;
  metadata: { namespace: string };
  spec: {
    serviceAccountName: string;
    containers: Array<{ env: Array<{ name: string; value: string }>; volumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }> }>;
    volumes: Array<{ name: string; projected: { sources: Array<{ serviceAccountToken: { path: string; audience: string; expirationSeconds: number } }> } }>;
  };
}

const input: SnippetInput = { ...BASE_INPUT, provider: "kubernetes", kubernetes: { namespace: "ci", serviceAccount: "claude" } };
const podOf = (i: SnippetInput) => parse(kubernetesSnippet(i).code) as Pod;
const envOf = (pod: Pod) => Object.fromEntries(pod.spec.containers[0]!.env.map((e) => [e.name, e.value]));

/**
 * The kubelet's expansion of an env value: `$$` → `$`, `$(NAME)` → NAME's value, anything else literal.
 * @see k8s.io/kubernetes/third_party/forked/golang/expansion
 */
function kubeletExpand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name) => (match === "$$" ? "$" : (env[name] ?? match)));
}

describe("Kubernetes pod", () => {
  it("parses as a Pod in the rule's namespace, running as the rule's service account", () => {
    const pod = podOf(input);
    expect(pod).toMatchObject({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "ci" }, spec: { serviceAccountName: "claude" } });
  });

  it("projects a service-account token with the rule's audience, at least ten minutes long", () => {
    const { serviceAccountToken } = podOf(input).spec.volumes[0]!.projected.sources[0]!;
    expect(serviceAccountToken.audience).toBe(BASE_INPUT.audience);
    expect(serviceAccountToken.expirationSeconds).toBeGreaterThanOrEqual(600);
  });

  it("points ANTHROPIC_IDENTITY_TOKEN_FILE at the mounted token, read-only", () => {
    const pod = podOf(input);
    const volume = pod.spec.volumes[0]!;
    const mount = pod.spec.containers[0]!.volumeMounts.find((m) => m.name === volume.name)!;
    expect(mount.readOnly).toBe(true);
    expect(envOf(pod).ANTHROPIC_IDENTITY_TOKEN_FILE).toBe(`${mount.mountPath}/${volume.projected.sources[0]!.serviceAccountToken.path}`);
  });

  it("sets the federation variables to the rule's IDs exactly", () => {
    expect(envOf(podOf(input))).toMatchObject(BASE_ENV);
  });

  it("omits the workspace when the rule has none", () => {
    expect(envOf(podOf({ ...input, workspaceId: null }))).not.toHaveProperty("ANTHROPIC_WORKSPACE_ID");
  });
});

describe.each(HOSTILE_VALUES)("a value with $attack cannot break out", ({ value }) => {
  it("reaches the container and the token exactly", () => {
    const pod = podOf(hostileInput("kubernetes", value));
    const env = envOf(pod);
    expect(Object.keys(env)).toHaveLength(6);
    for (const name of ["ANTHROPIC_BASE_URL", "ANTHROPIC_ORGANIZATION_ID", "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_SERVICE_ACCOUNT_ID", "ANTHROPIC_WORKSPACE_ID"]) {
      expect(kubeletExpand(env[name]!, { HOME: "/root" })).toBe(value);
    }
    expect(pod.spec.volumes[0]!.projected.sources[0]!.serviceAccountToken.audience).toBe(value);
    expect(pod.metadata.namespace).toBe(value);
    expect(pod.spec.serviceAccountName).toBe(value);
  });
});
