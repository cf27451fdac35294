"use server";
/** Rule actions: each checks origin, session and role, then calls one lib/services operation. */
import { addRuleWorkspace, archiveRule, createRule, listRules, removeRuleWorkspace, updateRule } from "@/lib/services/rules";
import { actionContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction } from "@/lib/console/action-result";

export async function listRulesAction(query: unknown) {
  return runAction(async () => listRules(await actionContext("viewer"), parseListQuery(query, ["issuer_id"])));
}

export async function createRuleAction(input: unknown) {
  return runAction(async () => createRule(await actionContext("admin"), input));
}

export async function updateRuleAction(id: unknown, input: unknown) {
  return runAction(async () => updateRule(await actionContext("admin"), parseResourceId(id), input));
}

export async function archiveRuleAction(id: unknown) {
  return runAction(async () => archiveRule(await actionContext("admin"), parseResourceId(id)));
}

export async function addRuleWorkspaceAction(id: unknown, input: unknown) {
  return runAction(async () => addRuleWorkspace(await actionContext("admin"), parseResourceId(id), input));
}

export async function removeRuleWorkspaceAction(id: unknown, workspaceId: unknown) {
  return runAction(async () => {
    await removeRuleWorkspace(await actionContext("admin"), parseResourceId(id), parseResourceId(workspaceId, "workspace_id"));
    return null;
  });
}
