import type { RuleDto } from "@/lib/services/dto";

/** One line describing a rule's match, for lists. */
export function matchSummary(match: RuleDto["match"]): string {
  const parts: string[] = [];
  if (match.subject_prefix) parts.push(`sub ${match.subject_prefix.endsWith("*") ? "starts with" : "="} ${match.subject_prefix.replace(/\*$/, "")}`);
  for (const [k, v] of Object.entries(match.claims ?? {})) parts.push(`${k} = ${v}`);
  if (match.condition) parts.push(`if ${match.condition}`);
  return parts.join(" · ") || "—";
}
