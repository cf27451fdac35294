/** Which role may hold which scope: the one answer the exchange, authentication and rule validation share. */
import { describe, expect, it } from "vitest";
import { effectiveScopes, roleAllowsScope, roleAllowsScopes } from "./scopes";

describe("scopes", () => {
  it("reserves org:admin to admin service accounts; workspace scopes are for every role", () => {
    expect(roleAllowsScope("developer", "org:admin")).toBe(false);
    expect(roleAllowsScope("admin", "org:admin")).toBe(true);
    expect(roleAllowsScope("developer", "workspace:developer")).toBe(true);
    expect(roleAllowsScopes("developer", "workspace:developer workspace:inference")).toBe(true);
    expect(roleAllowsScopes("developer", "workspace:developer org:admin")).toBe(false);
    expect(roleAllowsScopes("admin", "workspace:developer org:admin")).toBe(true);
  });

  it("gives a token the rule's scope intersected with its service account's current role", () => {
    expect([...effectiveScopes("workspace:developer org:admin", "admin")]).toEqual(["workspace:developer", "org:admin"]);
    expect([...effectiveScopes("workspace:developer org:admin", "developer")]).toEqual(["workspace:developer"]);
  });
});
