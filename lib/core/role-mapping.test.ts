/** Role mapping for single sign-on: the federation rule matcher decides, first match wins. */
import { describe, expect, it } from "vitest";
import { decideRole, type RoleMapping } from "./role-mapping";

const CLIENT = "wif-console";
const MAPPINGS: RoleMapping[] = [
  { role: "admin", match: { condition: '"platform-admins" in claims.groups' } },
  { role: "developer", match: { claims: { department: "engineering" } } },
  { role: "viewer", match: { subject_prefix: "okta|*" } },
];

describe("decideRole", () => {
  const cases: Array<{ name: string; claims: Record<string, unknown>; role: string | undefined; evaluated: number }> = [
    { name: "group membership through CEL grants admin", claims: { aud: CLIENT, sub: "x", groups: ["platform-admins"] }, role: "admin", evaluated: 1 },
    { name: "an exact claim grants developer when the first mapping fails", claims: { aud: CLIENT, sub: "x", groups: [], department: "engineering" }, role: "developer", evaluated: 2 },
    { name: "a subject prefix grants viewer", claims: { aud: CLIENT, sub: "okta|42", groups: ["other"] }, role: "viewer", evaluated: 3 },
    { name: "nothing matching grants nothing", claims: { aud: CLIENT, sub: "google|1", groups: ["other"] }, role: undefined, evaluated: 3 },
    { name: "a missing groups claim is a failed condition, not a match", claims: { aud: CLIENT, sub: "google|1" }, role: undefined, evaluated: 3 },
    { name: "a token for another client matches no mapping", claims: { aud: "another-client", sub: "okta|1", groups: ["platform-admins"] }, role: undefined, evaluated: 3 },
    { name: "a case-folded claim value does not match", claims: { aud: CLIENT, sub: "x", department: "Engineering" }, role: undefined, evaluated: 3 },
  ];
  it.each(cases)("$name", ({ claims, role, evaluated }) => {
    const decision = decideRole(MAPPINGS, claims, CLIENT);
    expect(decision.role).toBe(role);
    expect(decision.explanations).toHaveLength(evaluated);
  });

  it("explains each failed check by name", () => {
    const decision = decideRole(MAPPINGS, { aud: CLIENT, sub: "google|1", groups: [] }, CLIENT);
    expect(decision.explanations[0]!.checks.find((c) => c.check === "condition")?.passed).toBe(false);
    expect(decision.explanations[1]!.checks.find((c) => c.name === "claims.department")?.message).toMatch(/absent/);
  });
});
