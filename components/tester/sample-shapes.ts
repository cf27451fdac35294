/**
 * The sample tokens the tester mints from the demo issuer, shaped like the three workloads
 * people connect most (docs/providers.md): a GitHub Actions job, a GitLab CI job, a Kubernetes pod.
 * The form edits a few fields; these build the subject and the full claim set from them.
 */
import { githubClaims, type GithubContext } from "@/lib/providers/github-claims";

export type SampleShape = "github" | "gitlab" | "kubernetes";

export const SAMPLE_SHAPES: Array<{ id: SampleShape; label: string }> = [
  { id: "github", label: "GitHub Actions" },
  { id: "gitlab", label: "GitLab CI" },
  { id: "kubernetes", label: "Kubernetes" },
];

export interface SampleFields {
  /** GitHub: owner/repo. */
  repository: string;
  /** GitHub: refs/heads/… or refs/tags/…. */
  ref: string;
  /** GitHub and GitLab: a deployment environment, or empty. */
  environment: string;
  event_name: string;
  /** GitLab: group/project. */
  project_path: string;
  /** GitLab: branch or tag name (no refs/heads/). */
  gitlab_ref: string;
  ref_type: "branch" | "tag";
  namespace: string;
  service_account: string;
}

export const DEFAULT_FIELDS: SampleFields = {
  repository: "acme/demo-app",
  ref: "refs/heads/main",
  environment: "",
  event_name: "push",
  project_path: "acme/demo-app",
  gitlab_ref: "main",
  ref_type: "branch",
  namespace: "ci",
  service_account: "deployer",
};

const REGISTERED = ["iss", "sub", "aud", "iat", "nbf", "exp", "jti"];

const splitRepository = (repository: string) => {
  const [owner = "", ...rest] = repository.trim().split("/");
  return { owner, name: rest.join("/") };
};

function githubContext(f: SampleFields): GithubContext {
  const branch = f.ref.startsWith("refs/heads/") ? f.ref.slice("refs/heads/".length) : f.ref;
  if (f.environment.trim()) return { kind: "environment", environment: f.environment.trim(), branch };
  if (f.event_name === "pull_request") return { kind: "pull_request", headBranch: "patch-1", baseBranch: branch };
  if (f.ref.startsWith("refs/tags/")) return { kind: "tag", tag: f.ref.slice("refs/tags/".length) };
  return { kind: "branch", branch, event: f.event_name === "pull_request_target" || f.event_name === "workflow_dispatch" ? f.event_name : "push" };
}

/** The subject the provider would send for these fields. */
export function sampleSubject(shape: SampleShape, f: SampleFields): string {
  switch (shape) {
    case "github":
      return githubClaims(splitRepository(f.repository), githubContext(f), { audience: "" }).sub as string;
    case "gitlab":
      return `project_path:${f.project_path.trim()}:ref_type:${f.ref_type}:ref:${f.gitlab_ref.trim()}`;
    case "kubernetes":
      return `system:serviceaccount:${f.namespace.trim()}:${f.service_account.trim()}`;
  }
}

/** The provider-shaped claims besides the registered ones (the minter sets iss, sub, aud, times, jti). */
export function sampleClaims(shape: SampleShape, f: SampleFields): Record<string, unknown> {
  let claims: Record<string, unknown>;
  switch (shape) {
    case "github": {
      claims = githubClaims(splitRepository(f.repository), githubContext(f), { audience: "" });
      if (f.event_name.trim()) claims.event_name = f.event_name.trim();
      break;
    }
    case "gitlab": {
      const path = f.project_path.trim();
      const namespace = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : path;
      claims = {
        namespace_id: "1001",
        namespace_path: namespace,
        project_id: "2002",
        project_path: path,
        user_id: "3003",
        user_login: "octocat",
        user_email: "octocat@example.com",
        pipeline_id: "40004",
        pipeline_source: "push",
        job_id: "500005",
        ref: f.gitlab_ref.trim(),
        ref_type: f.ref_type,
        ref_protected: "true",
        sha: "4f2a7c1e9b3d5f60718293a4b5c6d7e8f9012345",
        runner_environment: "gitlab-hosted",
        ci_config_ref_uri: `gitlab.com/${path}//.gitlab-ci.yml@refs/heads/${f.gitlab_ref.trim()}`,
        ...(f.environment.trim() ? { environment: f.environment.trim(), environment_protected: "true", deployment_tier: "production" } : {}),
      };
      break;
    }
    case "kubernetes":
      claims = {
        "kubernetes.io": {
          namespace: f.namespace.trim(),
          serviceaccount: { name: f.service_account.trim(), uid: "6f1e2d3c-0000-4000-8000-00000000a001" },
          pod: { name: `${f.service_account.trim()}-7d9f8c6b5-x2x4z`, uid: "6f1e2d3c-0000-4000-8000-00000000b002" },
          node: { name: "node-1", uid: "6f1e2d3c-0000-4000-8000-00000000c003" },
        },
      };
      break;
  }
  for (const key of REGISTERED) delete claims[key];
  return claims;
}
