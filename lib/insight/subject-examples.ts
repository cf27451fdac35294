/**
 * Concrete subjects a rule's `subject_prefix` admits and refuses — its own repository's other
 * branches, a look-alike owner, a fork, a case variant — classified by the exchange's own
 * matcher, so the lists are true by construction. Pure: the console asks for it as the user
 * types (lib/services/rule-advice.ts).
 */
import { matchSubject } from "../core/match";
import type { RuleMatch } from "../core/types";

export const isPrefix = (pattern: string) => pattern.endsWith("*");
export const stemOf = (pattern: string) => (isPrefix(pattern) ? pattern.slice(0, -1) : pattern);
/** Characters a subject prefix should end at: beyond them starts the next name. */
export const DELIMITERS: ReadonlySet<string> = new Set([":", "/"]);

export interface SubjectExamples {
  /** Subjects the rule's subject_prefix admits (claims and condition must still pass). */
  matches: string[];
  /** Near misses it refuses. */
  rejects: string[];
  /** Set when the rule does not look at sub. */
  note?: string;
}

const MAX_EXAMPLES = 6;

/**
 * Concrete subjects the rule's `subject_prefix` admits and refuses. Candidates are built from
 * the pattern's own owner/repository/namespace and classified by the matcher itself, so the
 * lists are true by construction.
 */
export function examples(match: RuleMatch): SubjectExamples {
  const pattern = match.subject_prefix;
  if (!pattern) return { matches: [], rejects: [], note: "The rule does not look at sub: its claims and condition decide alone." };
  const seen = new Set<string>();
  const candidates = candidateSubjects(pattern).filter((s) => s.length > 0 && !seen.has(s) && seen.add(s));
  return {
    matches: candidates.filter((s) => matchSubject(pattern, s)).slice(0, MAX_EXAMPLES),
    rejects: candidates.filter((s) => !matchSubject(pattern, s)).slice(0, MAX_EXAMPLES),
  };
}

/** Flip the case of the first letter, for a case-mismatch example. */
function flipCase(s: string): string {
  const i = s.search(/[A-Za-z]/);
  if (i === -1) return s;
  const c = s[i]!;
  return s.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + s.slice(i + 1);
}

function candidateSubjects(pattern: string): string[] {
  const stem = stemOf(pattern);
  const exact = !isPrefix(pattern);
  const own = exact ? [pattern] : [];
  const evil = !exact && stem && !DELIMITERS.has(stem.at(-1)!) ? [`${stem}-evil`] : [];

  const gh = /^repo:([^/:]*)(?:\/([^:]*))?(?::(.*))?$/.exec(stem);
  if (gh) {
    const owner = gh[1] || "acme";
    const repo = gh[2] || "api";
    const base = `repo:${owner}/${repo}`;
    const tails = ["ref:refs/heads/main", "pull_request", "environment:production", "ref:refs/heads/feature-x", "ref:refs/tags/v1.2.0"];
    const rest = gh[3];
    const completed = !exact && rest ? [`${stem}${rest.endsWith("/") ? "release-1" : rest.endsWith(":") ? "main" : ""}`] : [];
    const lookAlikes = evil.map((e) => (gh[2] === undefined ? `${e}/${repo}:ref:refs/heads/main` : gh[3] === undefined ? `${e}:ref:refs/heads/main` : e));
    const caseVariant = `repo:${flipCase(owner)}/${repo}:${rest && exact ? rest : "ref:refs/heads/main"}`;
    const otherOwner = `repo:other-org/${repo}:ref:refs/heads/main`;
    const fork = `repo:${owner}/${repo}-fork:ref:refs/heads/main`;
    const otherRepo = `repo:${owner}/other-repo:ref:refs/heads/main`;
    const [main, ...otherTails] = tails.map((t) => `${base}:${t}`);
    // Surprises first: for a prefix, what else it admits; for an exact subject, the near misses.
    return exact
      ? [...own, ...otherTails, caseVariant, otherOwner, fork, otherRepo]
      : [...completed, main!, ...lookAlikes, otherRepo, ...otherTails, fork, caseVariant, otherOwner];
  }

  const gl = /^project_path:([^:]*)(?::(.*))?$/.exec(stem);
  if (gl) {
    const raw = gl[1] ?? "";
    const path = raw.includes("/") && !raw.endsWith("/") ? raw : raw.endsWith("/") ? `${raw}api` : `${raw || "acme"}/api`;
    const base = `project_path:${path}`;
    const branch = ":ref_type:branch:ref:main";
    return [
      ...own,
      `${base}${branch}`,
      `${base}:ref_type:tag:ref:v1.2.0`,
      `${base}:ref_type:branch:ref:feature-x`,
      ...evil.map((e) => (gl[2] !== undefined ? e : raw.includes("/") ? `${e}${branch}` : `${e}/api${branch}`)),
      `project_path:${flipCase(path)}${branch}`,
      `project_path:other-group/${path.split("/").pop()}${branch}`,
      `${base}-fork${branch}`,
    ];
  }

  const k8s = /^system:serviceaccount:([^:]*)(?::(.*))?$/.exec(stem);
  if (k8s) {
    const ns = k8s[1] || "default";
    const sa = k8s[2] || "api";
    return [
      ...own,
      `system:serviceaccount:${ns}:${sa}`,
      ...evil,
      `system:serviceaccount:${ns}:default`,
      `system:serviceaccount:${ns}:${sa}-admin`,
      `system:serviceaccount:kube-system:${sa}`,
      `system:serviceaccount:${ns}-staging:${sa}`,
    ];
  }

  if (exact) return [pattern, `${pattern}-2`, flipCase(pattern), pattern.slice(0, -1)];
  return [`${stem}${DELIMITERS.has(stem.at(-1)!) ? "main" : ""}`, `${stem}x`, ...evil, `${stem.slice(0, -1)}${stem.at(-1) === "x" ? "y" : "x"}`, flipCase(stem)];
}
