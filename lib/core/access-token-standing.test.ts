/** The states the Admin API cannot produce (rows gone, expiry), at the edge of `accessTokenRevocation`. */
import { describe, expect, it } from "vitest";
import { accessTokenRevocation, type AccessTokenGrantState } from "./access-token-standing";

const NOW = "2026-01-01T00:00:00.000Z";
const standing: AccessTokenGrantState = {
  expiresAt: "2026-01-01T01:00:00.000Z",
  scope: "workspace:developer",
  serviceAccountId: "svac_1",
  serviceAccount: { archived: false, organizationRole: "developer" },
  rule: { archived: false, scope: "workspace:developer workspace:inference", serviceAccountId: "svac_1", coversWorkspace: true },
  workspace: { archived: false, member: true },
};

describe("accessTokenRevocation", () => {
  it("lets a token whose grant still holds stand", () => {
    expect(accessTokenRevocation(standing, NOW)).toBeUndefined();
  });

  it.each<{ name: string; state: Partial<AccessTokenGrantState>; message: RegExp }>([
    { name: "expired at this instant", state: { expiresAt: NOW }, message: /expired/ },
    { name: "service account row gone", state: { serviceAccount: null }, message: /service account/ },
    { name: "rule row gone", state: { rule: null }, message: /rule/ },
    { name: "workspace row gone", state: { workspace: null }, message: /workspace/ },
    { name: "org:admin on a developer account", state: { scope: "org:admin" }, message: /admin role/ },
  ])("refuses a token when $name", ({ state, message }) => {
    expect(accessTokenRevocation({ ...standing, ...state }, NOW)).toMatch(message);
  });
});
