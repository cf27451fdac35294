"use client";

import { useState } from "react";
import { changeUserRoleAction, disableUserAction, enableUserAction, resetSecondFactorAction } from "@/lib/console/actions/users";
import { useRefreshingAction } from "@/components/forms/use-refreshing-action";
import { formatDate } from "@/components/resources/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ACTIONS_HEADER, DataTable } from "@/components/ui/data-table";
import { ConfirmActionButton } from "@/components/ui/dialog";
import { Select } from "@/components/ui/select";
import type { UserDto } from "@/lib/console/users";
import { USER_ROLES } from "@/lib/schemas/vocabulary";

function RoleEditor({ user }: { user: UserDto }) {
  const [role, setRole] = useState(user.role);
  const save = useRefreshingAction();
  const id = `role-${user.id}`;
  return (
    <div>
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Role for {user.email}
        </label>
        <div className="w-32 shrink-0">
          <Select
            id={id}
            value={role}
            onChange={(e) => setRole(e.target.value as UserDto["role"])}
            disabled={!!user.disabled_at}
            aria-describedby={`${id}-msg`}
            options={USER_ROLES.map((r) => ({ value: r, label: r[0]!.toUpperCase() + r.slice(1) }))}
          />
        </div>
        {role !== user.role && (
          <Button size="sm" variant="primary" disabled={save.pending} onClick={() => save.run(() => changeUserRoleAction(user.id, { role }))}>
            Save<span className="sr-only"> role for {user.email}</span>
          </Button>
        )}
      </div>
      <p id={`${id}-msg`} aria-live="polite" className="mt-1 max-w-64 text-xs text-red-700 empty:hidden">
        {save.error?.replace(/^role: /, "")}
      </p>
    </div>
  );
}

/** What enabling or disabling a user does, for the confirmation. */
const SWITCHES = {
  enable: { label: "Enable", variant: "primary", description: "They can sign in again with their password.", action: enableUserAction },
  disable: { label: "Disable", variant: "danger", description: "They are signed out everywhere at once and cannot sign in until an owner enables them again.", action: disableUserAction },
} as const;

export function UserList({ users, currentUserId }: { users: UserDto[]; currentUserId: string }) {
  return (
    <DataTable
      label="Users"
      rows={users}
      rowKey={(u) => u.id}
      columns={[
        {
          header: "User",
          cell: (u) => (
            <>
              <div className="font-medium">
                {u.name} {u.id === currentUserId && <span className="font-normal text-zinc-600">(you)</span>}
              </div>
              <div className="text-xs [overflow-wrap:anywhere] text-zinc-600">{u.email}</div>
              {(u.sign_in === "sso" || u.second_factor) && (
                <div className="mt-1 flex gap-1">
                  {u.sign_in === "sso" && <Badge tone="blue">Single sign-on</Badge>}
                  {u.second_factor && <Badge tone="green">Second factor</Badge>}
                </div>
              )}
            </>
          ),
        },
        { header: "Role", cell: (u) => <RoleEditor key={`${u.id}-${u.role}`} user={u} /> },
        { header: "Status", from: "sm", cell: (u) => (u.disabled_at ? <Badge>Disabled</Badge> : <Badge tone="green">Active</Badge>) },
        { header: "Added", from: "md", className: "whitespace-nowrap", cell: (u) => formatDate(u.created_at) },
        {
          header: ACTIONS_HEADER,
          className: "text-right",
          cell: (u) => {
            if (u.id === currentUserId) return null;
            const change = u.disabled_at ? SWITCHES.enable : SWITCHES.disable;
            return (
              <div className="flex flex-wrap justify-end gap-2">
                {u.second_factor && (
                  <ConfirmActionButton
                    size="sm"
                    label="Reset second factor"
                    title={`Reset ${u.email}'s second factor?`}
                    description="Their authenticator app and recovery codes stop working; they sign in with their password alone and set up a new one (at once, if an owner requires it)."
                    confirmLabel="Reset second factor"
                    action={() => resetSecondFactorAction(u.id)}
                  />
                )}
                <ConfirmActionButton
                  size="sm"
                  label={change.label}
                  variant={change.variant}
                  title={`${change.label} ${u.email}?`}
                  description={change.description}
                  confirmLabel={change.label}
                  action={() => change.action(u.id)}
                />
              </div>
            );
          },
        },
      ]}
    />
  );
}
