"use server";
/** Rule actions: each checks origin, session and role, then calls one lib/services operation. */
import { addRuleWorkspace, archiveRule, createRule, listRules, removeRuleWorkspace, updateRule } from "@/lib/services/rules";
import { adviseRuleDraft } from "@/lib/services/rule-advice";
import { parseResourceId } from "@/lib/console/action-result";
import { resourceActions, runAs } from "./run-as";

export const { list: listRulesAction, create: createRuleAction, update: updateRuleAction, archive: archiveRuleAction } = resourceActions(
  { list: listRules, create: createRule, update: updateRule, archive: archiveRule },
  { pass: ["issuer_id"] },
);

export async function addRuleWorkspaceAction(id: unknown, input: unknown) {
  return runAs("admin", (ctx) => addRuleWorkspace(ctx, parseResourceId(id), input));
}

export async function removeRuleWorkspaceAction(id: unknown, workspaceId: unknown) {
  return runAs("admin", (ctx) => removeRuleWorkspace(ctx, parseResourceId(id), parseResourceId(workspaceId, "workspace_id")).then(() => null));
}

/** The advisor's findings and example subjects for a rule being written (the rule form and the guided setup, as the user types). */
export async function adviseRuleAction(input: unknown) {
  return runAs("viewer", async (ctx) => adviseRuleDraft(ctx, input));
}
