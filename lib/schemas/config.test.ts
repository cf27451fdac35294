/** The configuration file's schema: the documented example is valid, and problems are named by their path in the file. */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { configPath, formatConfigError, organizationConfig } from "./config";

const docs = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/behaviour.md"), "utf8");
const example = /## Configuration as code[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)![1]!;

describe("configuration file schema", () => {
  it("accepts the example in docs/behaviour.md", () => {
    const parsed = organizationConfig.safeParse(YAML.parse(example));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it("writes list positions in brackets", () => {
    expect(configPath(["rules", 2, "match", "subject_prefix"])).toBe("rules[2].match.subject_prefix");
    expect(configPath(["rules", 0, "workspaces", 1])).toBe("rules[0].workspaces[1]");
    expect(configPath([])).toBe("");
  });

  it("reports every problem, each with its path", () => {
    const doc = YAML.parse(example);
    doc.rules[0].match.subject_prefix = "*";
    doc.issuers[0].check_jti = "yes";
    doc.service_accounts[0].colour = "red";
    const parsed = organizationConfig.safeParse(doc);
    expect(parsed.success).toBe(false);
    expect(formatConfigError(parsed.error!).split("\n").sort()).toEqual([
      "issuers[0].check_jti: must be true or false",
      "rules[0].match.subject_prefix: a bare * is not a valid matcher; name the subject or its prefix, e.g. repo:acme/api:ref:refs/heads/main",
      "service_accounts[0].colour: unknown field",
    ]);
  });
});
