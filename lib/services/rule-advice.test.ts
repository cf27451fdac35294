import { describe, expect, it } from "vitest";
import type { AdminContext } from "./context";
import { adviseRuleDraft } from "./rule-advice";

const GITHUB = "https://token.actions.githubusercontent.com";
const DEFAULT_AUDIENCE = "https://wif.example.com";

const context = (kind: "user" | "access_token" = "user"): AdminContext =>
  ({
    db: undefined as never,
    principal:
      kind === "user"
        ? { kind, id: "user_1", organizationId: "org", role: "viewer", label: "viewer@example.com" }
        : { kind, id: "oat_1", organizationId: "org", serviceAccountId: "svac_1", scopes: new Set(["workspace:inference"]), label: "token" },
    requestId: null,
    config: { defaultAudience: DEFAULT_AUDIENCE },
  }) as unknown as AdminContext;

const draft = {
  issuerUrl: GITHUB,
  match: { subject_prefix: "repo:acme/*", audience: null, claims: null, condition: null },
  oauthScope: "workspace:developer",
  tokenLifetimeSeconds: 900,
  serviceAccountRole: "developer",
};

describe("adviseRuleDraft", () => {
  it("gives the advisor's findings and the subjects the match admits and refuses", () => {
    const { advice, examples } = adviseRuleDraft(context(), draft);
    expect(advice.map((a) => a.code)).toContain("owner_wildcard");
    expect(examples.matches).toContain("repo:acme/other-repo:ref:refs/heads/main");
    expect(examples.rejects.length).toBeGreaterThan(0);
  });

  it("judges the audience against this server's configured default", () => {
    const { advice } = adviseRuleDraft(context(), draft);
    expect(advice.find((a) => a.code === "audience_default")?.detail).toContain(DEFAULT_AUDIENCE);
  });

  it("reads a condition with CEL: one that pins the tenant quiets the shared-issuer danger", () => {
    const unpinned = adviseRuleDraft(context(), { ...draft, match: { ...draft.match, subject_prefix: null, condition: 'claims.ref == "refs/heads/main"' } });
    const pinned = adviseRuleDraft(context(), { ...draft, match: { ...draft.match, subject_prefix: null, condition: 'claims.repository_owner_id == "123"' } });
    expect(unpinned.advice.map((a) => a.code)).toContain("tenant_unpinned");
    expect(pinned.advice.map((a) => a.code)).not.toContain("tenant_unpinned");
  });

  it("is for those who may read the organization's configuration", () => {
    expect(() => adviseRuleDraft(context("access_token"), draft)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it("refuses input that is not a rule draft, naming the field", () => {
    expect(() => adviseRuleDraft(context(), { ...draft, tokenLifetimeSeconds: "900" })).toThrow(expect.objectContaining({ status: 400, field: "tokenLifetimeSeconds" }));
  });
});
