/**
 * The rule advisor on the rule being written, from the server (`adviseRuleAction`, which has
 * the CEL parser and the providers' tables the advice needs): asked again once the user pauses
 * typing, the previous answer kept on screen meanwhile.
 * @see docs/architecture.md#page-weight
 */
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { adviseRuleAction } from "@/lib/console/actions/rules";
import type { Advice, AdviseRuleInput } from "@/lib/insight/advisor";
import type { RuleAdvice } from "@/lib/services/rule-advice";

/** What the advisor is told of the rule; the server adds its default audience. */
export type RuleDraft = Omit<AdviseRuleInput, "defaultAudience">;

/** How long the advice waits for the next keystroke. */
const TYPING_PAUSE_MS = 300;

const adviceQuery = (draftText: string) => ({
  queryKey: ["rule-advice", draftText],
  queryFn: async (): Promise<RuleAdvice> => {
    const result = await adviseRuleAction(JSON.parse(draftText) as RuleDraft);
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  },
});

export function useRuleAdvice(draft: RuleDraft | undefined): {
  /** Undefined until the first answer. */
  advice: Advice[] | undefined;
  examples: RuleAdvice["examples"] | undefined;
  /** Why there is no advice, when the server could not give it. */
  problem: string | undefined;
  /** The findings for exactly this draft (what is about to be saved): from the cache when the user paused on it. */
  adviceFor(draft: RuleDraft): Promise<Advice[]>;
} {
  const text = draft === undefined ? undefined : JSON.stringify(draft);
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const client = useQueryClient();
  const query = useQuery({ ...adviceQuery(settled ?? ""), enabled: settled !== undefined, placeholderData: keepPreviousData });
  return {
    advice: query.data?.advice,
    examples: query.data?.examples,
    problem: query.error?.message,
    adviceFor: async (d) => (await client.fetchQuery(adviceQuery(JSON.stringify(d)))).advice,
  };
}
