"use server";
/** Console user management: owners only (checked here and again in lib/console/users). */
import { actionContext } from "@/lib/console/auth";
import { parseResourceId, runAction } from "@/lib/console/action-result";
import { changeUserRole, createUser, disableUser, enableUser } from "@/lib/console/users";

export async function createUserAction(input: unknown) {
  return runAction(async () => createUser(await actionContext("owner"), input));
}

export async function changeUserRoleAction(id: unknown, input: unknown) {
  return runAction(async () => changeUserRole(await actionContext("owner"), parseResourceId(id), input));
}

export async function disableUserAction(id: unknown) {
  return runAction(async () => disableUser(await actionContext("owner"), parseResourceId(id)));
}

export async function enableUserAction(id: unknown) {
  return runAction(async () => enableUser(await actionContext("owner"), parseResourceId(id)));
}
