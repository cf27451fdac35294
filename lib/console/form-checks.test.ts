import { describe, expect, it } from "vitest";
import { ruleInput } from "../../e2e/support/rule-input";
import { ApiError } from "../core/errors";
import { filledSignedOut, formNamed, formProblems } from "./form-checks";

const rule = ruleInput("deploy-main", "fdis_01", "svac_01", "repo:acme/api:ref:refs/heads/main");

describe("formProblems", () => {
  it("finds nothing in input the operation accepts", () => {
    expect(formProblems("rule.create", rule)).toEqual({});
  });

  it("names each problem's API field with the schema's own message", () => {
    expect(formProblems("rule.create", { ...rule, name: "Deploy Main", oauth_scope: "workspace:everything" })).toEqual({
      name: "must contain only lowercase letters, digits and hyphens",
      oauth_scope: expect.stringContaining("unknown scope workspace:everything"),
    });
  });

  it("compiles a condition with CEL, which the browser never loads", () => {
    expect(formProblems("rule.create", { ...rule, match: { condition: "claims.ref ==" } })).toHaveProperty(["match.condition"], expect.any(String));
    expect(formProblems("rule.create", { ...rule, match: { condition: 'claims.ref == "refs/heads/main"' } })).toEqual({});
  });

  it("checks the guided setup's request as a whole, each problem under its part", () => {
    const problems = formProblems("connect", { issuer: { mode: "existing", id: "nope" }, service_account: { mode: "new", create: { name: "" } }, rule: {} });
    expect(Object.keys(problems)).toEqual(expect.arrayContaining(["issuer.id", "service_account.create.name", "rule.name", "rule.match"]));
  });

  it("puts a problem of the whole input under _form", () => {
    expect(formProblems("setup", "not an object")).toEqual({ _form: expect.any(String) });
  });
});

describe("formNamed", () => {
  it("refuses a form the console does not have, as a bad request naming the field", () => {
    expect(formNamed("rule.create")).toBe("rule.create");
    for (const name of ["toString", "__proto__", "rule", 7, undefined]) {
      expect(() => formNamed(name)).toThrow(expect.objectContaining({ status: 400, field: "form" }) as ApiError);
    }
  });

  it("lets only sign-in and first-run setup be checked without a session", () => {
    expect(["second_factor", "setup"].every((f) => filledSignedOut(formNamed(f)))).toBe(true);
    expect(filledSignedOut("rule.create")).toBe(false);
    expect(filledSignedOut("user.create")).toBe(false);
  });
});
