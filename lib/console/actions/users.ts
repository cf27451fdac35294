"use server";
/** Console user management: owners only (checked here and again in lib/console/users). */
import { parseResourceId } from "@/lib/console/action-result";
import { changeUserRole, createUser, disableUser, enableUser, resetUserSecondFactor } from "@/lib/console/users";
import { runAs } from "./run-as";

export async function createUserAction(input: unknown) {
  return runAs("owner", (ctx) => createUser(ctx, input));
}

export async function changeUserRoleAction(id: unknown, input: unknown) {
  return runAs("owner", (ctx) => changeUserRole(ctx, parseResourceId(id), input));
}

export async function disableUserAction(id: unknown) {
  return runAs("owner", (ctx) => disableUser(ctx, parseResourceId(id)));
}

export async function enableUserAction(id: unknown) {
  return runAs("owner", (ctx) => enableUser(ctx, parseResourceId(id)));
}

export async function resetSecondFactorAction(id: unknown) {
  return runAs("owner", (ctx) => resetUserSecondFactor(ctx, parseResourceId(id)));
}
