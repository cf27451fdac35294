/**
 * The advisor on a rule as it is being written: its findings and the subjects its match admits
 * and refuses. It runs here, not in the browser, because it needs what the console leaves on
 * the server: CEL (a condition that pins the tenant) and the providers' recognition tables.
 * @see docs/architecture.md#page-weight
 */
import { adviseRule, type Advice } from "../insight/advisor";
import { examples, type SubjectExamples } from "../insight/subject-examples";
import { ruleAdviceRequest } from "../schemas/rules";
import { assertCanRead, type AdminContext } from "./context";
import { parseInput } from "./parse";

export interface RuleAdvice {
  advice: Advice[];
  examples: SubjectExamples;
}

/** Reads and stores nothing; the rule's audience defaults to this server's configured one. */
export function adviseRuleDraft(ctx: AdminContext, input: unknown): RuleAdvice {
  assertCanRead(ctx);
  const draft = parseInput(ruleAdviceRequest, input);
  return { advice: adviseRule({ ...draft, defaultAudience: ctx.config.defaultAudience }), examples: examples(draft.match) };
}
