/**
 * The repository's references stay true: every `docs/<file>.md#<anchor>` named in the code
 * (`@see` comments and the like) names an existing file and heading, the docs' own links
 * resolve, no comment cites a behaviour document outside docs/, and no tracked file carries
 * an absolute path of the machine it was written on.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Where code may cite the docs. */
const SOURCE_ROOTS = ["lib", "app", "components", "e2e", "bench", "proxy.ts"];
const TEXT_FILE = /\.(ts|tsx|js|mjs|cjs|json|md|css|ya?ml|svg|txt)$|^\.[\w-]+$/;

/** Tracked files (git), or — outside a checkout — every file except dependencies and build output. */
function repositoryFiles(): string[] {
  try {
    return execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  } catch {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!["node_modules", ".next", ".git", "data", "test-results", "playwright-report"].includes(entry.name)) walk(rel);
        } else out.push(rel);
      }
    };
    walk(".");
    return out.map((f) => f.replace(/^\.\//, ""));
  }
}

const files = repositoryFiles().filter((f) => fs.existsSync(path.join(ROOT, f)) && TEXT_FILE.test(path.basename(f)));
const sourceFiles = files.filter((f) => /\.(ts|tsx)$/.test(f) && SOURCE_ROOTS.some((r) => f === r || f.startsWith(`${r}/`)));
const markdownFiles = files.filter((f) => f.endsWith(".md") && (f.startsWith("docs/") || !f.includes("/")));

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** Line number (1-based) of a character offset. */
const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const anchorCache = new Map<string, Set<string> | null>();
/** The anchors of a repository-relative markdown file, or null when it does not exist. */
function anchorsOf(file: string): Set<string> | null {
  if (!anchorCache.has(file)) {
    const full = path.join(ROOT, file);
    anchorCache.set(file, fs.existsSync(full) ? headingAnchors(fs.readFileSync(full, "utf8")) : null);
  }
  return anchorCache.get(file)!;
}

/** Why a reference to `file` (`#anchor` optional) does not resolve, or null. */
function problemWith(file: string, anchor: string | undefined): string | null {
  const anchors = anchorsOf(file);
  if (!anchors) return `${file} does not exist`;
  if (anchor && !anchors.has(anchor)) return `${file} has no heading for #${anchor}`;
  return null;
}

describe("documentation references", () => {
  it("finds the code and the docs to check", () => {
    expect(sourceFiles.length).toBeGreaterThan(50);
    expect(markdownFiles).toEqual(expect.arrayContaining(["README.md", "docs/architecture.md", "docs/behaviour.md"]));
  });

  it("computes anchors as GitHub does", () => {
    const anchors = headingAnchors("# A\n## Fetching issuer keys (SSRF)\n```\n# not a heading\n```\n### `jwks` modes\n## A\n");
    expect([...anchors]).toEqual(["a", "fetching-issuer-keys-ssrf", "jwks-modes", "a-1"]);
  });

  it("every docs/ reference in the code names an existing file and heading", () => {
    const problems: string[] = [];
    let references = 0;
    for (const file of sourceFiles) {
      const text = read(file);
      for (const m of text.matchAll(/(?<![\w./-])docs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
        references++;
        const problem = problemWith(`docs/${m[1]}`, m[2]);
        if (problem) problems.push(`${file}:${lineOf(text, m.index)}: ${m[0]}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(references).toBeGreaterThan(30);
  });

  it("the code cites behaviour documents by their docs/ path", () => {
    const problems: string[] = [];
    for (const file of sourceFiles) {
      const text = read(file);
      for (const m of text.matchAll(/(?<![\w./-])(platform|providers|security|behaviour|architecture)\.md\b/g)) {
        problems.push(`${file}:${lineOf(text, m.index)}: ${m[0]}: cite the file under docs/ (docs/behaviour.md, docs/providers.md, …) with a #heading`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the docs' and README's links to markdown files resolve", () => {
    const problems: string[] = [];
    for (const file of markdownFiles) {
      const text = read(file);
      for (const m of text.matchAll(/\]\(([^)\s#]*)(?:#([^)\s]+))?\)/g)) {
        const [, target, anchor] = m;
        if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
        if (target && !target.endsWith(".md")) continue;
        const resolved = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : file;
        const problem = problemWith(resolved, anchor);
        if (problem) problems.push(`${file}:${lineOf(text, m.index)}: ${m[0]}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("no tracked file carries an absolute path of the machine it was written on", () => {
    // Built from parts so that this file does not match itself.
    const machinePath = new RegExp(`(?<![\\w.~-])/(?:${["work", "root", "home"].join("|")})/`, "g");
    const problems: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const m of text.matchAll(machinePath)) problems.push(`${file}:${lineOf(text, m.index)}: ${text.slice(m.index, m.index + 60).split("\n")[0]}`);
    }
    expect(problems).toEqual([]);
  });
});
