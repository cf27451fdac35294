import { describe, expect, it } from "vitest";
import { isDefaultAudience, recognizeProvider } from "./recognize";

describe("recognizeProvider", () => {
  it.each([
    ["https://token.actions.githubusercontent.com", "github-actions", "GitHub Actions", "exact", {}],
    ["https://token.actions.githubusercontent.com/octo-enterprise", "github-actions", "GitHub Actions", "pattern", { enterprise: "octo-enterprise" }],
    ["https://ghe.example.com/_services/token", "github-actions", "GitHub Enterprise Server", "pattern", { host: "ghe.example.com" }],
    ["https://gitlab.com", "gitlab-ci", "GitLab.com", "exact", {}],
    ["https://gitlab.example.org", "gitlab-ci", "GitLab (self-managed)", "heuristic", { host: "gitlab.example.org" }],
    ["https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789", "kubernetes", "Amazon EKS", "pattern", { region: "eu-west-1", cluster_id: "ABCDEF0123456789" }],
    ["https://container.googleapis.com/v1/projects/p1/locations/europe-west1/clusters/c1", "kubernetes", "Google GKE", "pattern", { project: "p1", location: "europe-west1", cluster: "c1" }],
    [
      "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000001/11111111-2222-3333-4444-555555555555/",
      "kubernetes",
      "Azure AKS",
      "pattern",
      { region: "westeurope", tenant: "00000000-0000-0000-0000-000000000001", cluster_issuer_id: "11111111-2222-3333-4444-555555555555" },
    ],
    ["https://kubernetes.default.svc.cluster.local", "kubernetes", "Kubernetes", "pattern", {}],
    ["https://12345678-1234-1234-1234-123456789012.tokens.sts.global.api.aws", "aws", "AWS (outbound identity federation)", "pattern", { account_issuer_id: "12345678-1234-1234-1234-123456789012" }],
    ["https://accounts.google.com", "google-cloud", "Google Cloud", "exact", {}],
    ["accounts.google.com", "google-cloud", "Google Cloud", "exact", {}],
    ["https://login.microsoftonline.com/contoso-tenant/v2.0", "azure", "Microsoft Entra ID", "pattern", { tenant: "contoso-tenant" }],
    ["https://sts.windows.net/contoso-tenant/", "azure", "Microsoft Entra ID (v1 tokens)", "pattern", { tenant: "contoso-tenant" }],
    ["https://acme.okta.com/oauth2/aus1a2b3c4", "okta", "Okta", "pattern", { org: "acme", authorization_server: "aus1a2b3c4" }],
    ["https://acme.okta.com", "okta", "Okta (org authorization server)", "pattern", { org: "acme" }],
    ["https://oidc.circleci.com/org/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "circleci", "CircleCI", "pattern", { organization_id: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" }],
    ["https://agent.buildkite.com", "buildkite", "Buildkite", "exact", {}],
    ["https://app.terraform.io", "hcp-terraform", "HCP Terraform", "exact", {}],
  ])("%s is %s", (iss, id, label, certainty, details) => {
    expect(recognizeProvider(iss)).toMatchObject({ id, label, certainty, details });
  });

  it("names a provider even when the issuer has a trailing slash (recognition only)", () => {
    expect(recognizeProvider("https://token.actions.githubusercontent.com/")?.id).toBe("github-actions");
  });

  it("recognises this server's demo issuer before any pattern", () => {
    expect(recognizeProvider("http://localhost:3000/demo-issuer", { demoIssuerUrl: "http://localhost:3000/demo-issuer" })).toMatchObject({ id: "demo", certainty: "exact" });
    expect(recognizeProvider("http://localhost:3000/demo-issuer")).toBeNull();
  });

  it.each([
    ["GitLab claims", { project_path: "grp/app", namespace_path: "grp" }, "gitlab-ci"],
    ["a kubernetes.io claim", { "kubernetes.io": { namespace: "ci" } }, "kubernetes"],
    ["a service-account subject", { sub: "system:serviceaccount:ci:deployer" }, "kubernetes"],
    ["Terraform claims", { terraform_organization_name: "acme" }, "hcp-terraform"],
    ["GitHub workflow claims", { repository_owner: "acme", workflow_ref: "acme/app/.github/workflows/ci.yml@refs/heads/main" }, "github-actions"],
  ])("guesses from %s on an unknown host", (_what, claims, id) => {
    expect(recognizeProvider("https://idp.internal.example", { claims })).toMatchObject({ id, certainty: "heuristic" });
  });

  it("recognises nothing about an unknown issuer with plain claims, or a non-string iss", () => {
    expect(recognizeProvider("https://idp.example.com", { claims: { sub: "x" } })).toBeNull();
    expect(recognizeProvider(42)).toBeNull();
    expect(recognizeProvider(undefined)).toBeNull();
  });

  it("derives default audiences from the claims where the provider does", () => {
    expect(recognizeProvider("https://token.actions.githubusercontent.com", { claims: { repository_owner: "acme" } })?.defaultAudiences).toEqual(["https://github.com/acme"]);
    expect(recognizeProvider("https://ghe.example.com/_services/token", { claims: { repository_owner: "acme" } })?.defaultAudiences).toEqual(["https://ghe.example.com/acme"]);
    expect(recognizeProvider("https://agent.buildkite.com", { claims: { organization_slug: "acme" } })?.defaultAudiences).toEqual(["https://buildkite.com/acme"]);
    expect(recognizeProvider("https://oidc.eks.us-east-1.amazonaws.com/id/AB12")?.defaultAudiences).toEqual(["sts.amazonaws.com"]);
  });
});

describe("isDefaultAudience", () => {
  it("knows sts.amazonaws.com everywhere and each provider's own default", () => {
    const github = recognizeProvider("https://token.actions.githubusercontent.com", { claims: { repository_owner: "acme" } });
    expect(isDefaultAudience("sts.amazonaws.com", null)).toBe(true);
    expect(isDefaultAudience("https://github.com/acme", github)).toBe(true);
    expect(isDefaultAudience("https://api.anthropic.com", github)).toBe(false);
  });
});
