/** The configuration plan: changes by name, field by field, in an order the operations can follow. */
import { describe, expect, it } from "vitest";
import { planConfig, type ConfigSections } from "./config-plan";

const sections = (over: Partial<ConfigSections>): ConfigSections => ({ workspace: [], issuer: [], service_account: [], rule: [], ...over });

describe("planConfig", () => {
  it("is empty when the file matches, whatever the key order of objects", () => {
    const current = sections({ rule: [{ name: "r", match: { subject_prefix: "a", claims: { x: "1", y: "2" } }, workspaces: ["a", "b"] }] });
    const desired = sections({ rule: [{ workspaces: ["a", "b"], match: { claims: { y: "2", x: "1" }, subject_prefix: "a" }, name: "r" }] });
    expect(planConfig(current, desired)).toEqual([]);
  });

  it("names each changed leaf by its dotted path, absent as null; lists change as a whole", () => {
    const current = sections({ rule: [{ name: "r", match: { subject_prefix: "a", claims: { x: "1" } }, workspaces: ["a"], description: "old" }] });
    const desired = sections({ rule: [{ name: "r", match: { subject_prefix: "b", claims: { x: "1", z: "3" } }, workspaces: ["a", "b"] }] });
    expect(planConfig(current, desired)).toEqual([
      {
        action: "update",
        kind: "rule",
        name: "r",
        fields: {
          description: { from: "old", to: null },
          "match.claims.z": { from: null, to: "3" },
          "match.subject_prefix": { from: "a", to: "b" },
          workspaces: { from: ["a"], to: ["a", "b"] },
        },
      },
    ]);
  });

  it("creates dependencies first and archives dependants first", () => {
    const current = sections({ issuer: [{ name: "old-idp" }], rule: [{ name: "old-rule" }] });
    const desired = sections({ workspace: [{ name: "w" }], issuer: [{ name: "idp", url: "https://x" }], rule: [{ name: "rule", issuer: "idp" }] });
    expect(planConfig(current, desired).map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      "create workspace w",
      "create issuer idp",
      "create rule rule",
      "archive rule old-rule",
      "archive issuer old-idp",
    ]);
    expect(planConfig(current, desired)[1]!.fields).toEqual({ url: { from: null, to: "https://x" } });
  });

  it("treats a rename as an archive and a create (names are the identity)", () => {
    const plan = planConfig(sections({ service_account: [{ name: "a", role: "x" }] }), sections({ service_account: [{ name: "b", role: "x" }] }));
    expect(plan.map((c) => `${c.action} ${c.name}`)).toEqual(["create b", "archive a"]);
  });
});
