"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { changeUserRoleAction, disableUserAction, enableUserAction } from "@/lib/console/actions/users";
import { formatDate } from "@/components/resources/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/dialog";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { UserDto } from "@/lib/console/users";
import { USER_ROLES } from "@/lib/schemas/users";

function RoleEditor({ user }: { user: UserDto }) {
  const router = useRouter();
  const [role, setRole] = useState(user.role);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string>();
  const id = `role-${user.id}`;
  return (
    <div>
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Role for {user.email}
        </label>
        <div className="w-32 shrink-0">
          <Select id={id} value={role} onChange={(e) => setRole(e.target.value as UserDto["role"])} disabled={!!user.disabled_at} aria-describedby={`${id}-msg`}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {r[0]!.toUpperCase() + r.slice(1)}
              </option>
            ))}
          </Select>
        </div>
        {role !== user.role && (
          <Button
            size="sm"
            variant="primary"
            disabled={pending}
            onClick={async () => {
              setPending(true);
              setMessage(undefined);
              const result = await changeUserRoleAction(user.id, { role });
              setPending(false);
              if (result.ok) router.refresh();
              else setMessage(result.error.message.replace(/^role: /, ""));
            }}
          >
            Save<span className="sr-only"> role for {user.email}</span>
          </Button>
        )}
      </div>
      <p id={`${id}-msg`} aria-live="polite" className="mt-1 max-w-64 text-xs text-red-700 empty:hidden">
        {message}
      </p>
    </div>
  );
}

export function UserList({ users, currentUserId }: { users: UserDto[]; currentUserId: string }) {
  const router = useRouter();
  return (
    <Table label="Users">
      <THead>
        <tr>
          <TH>User</TH>
          <TH>Role</TH>
          <TH className="hidden sm:table-cell">Status</TH>
          <TH className="hidden md:table-cell">Added</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {users.map((u) => (
          <TR key={u.id}>
            <TD>
              <div className="font-medium">
                {u.name} {u.id === currentUserId && <span className="font-normal text-zinc-600">(you)</span>}
              </div>
              <div className="text-xs [overflow-wrap:anywhere] text-zinc-600">{u.email}</div>
            </TD>
            <TD>
              <RoleEditor key={`${u.id}-${u.role}`} user={u} />
            </TD>
            <TD className="hidden sm:table-cell">{u.disabled_at ? <Badge>Disabled</Badge> : <Badge tone="green">Active</Badge>}</TD>
            <TD className="hidden whitespace-nowrap md:table-cell">{formatDate(u.created_at)}</TD>
            <TD className="text-right">
              {u.id !== currentUserId &&
                (u.disabled_at ? (
                  <ConfirmButton
                    size="sm"
                    label="Enable"
                    variant="primary"
                    title={`Enable ${u.email}?`}
                    description="They can sign in again with their password."
                    confirmLabel="Enable"
                    onConfirm={async () => {
                      const result = await enableUserAction(u.id);
                      if (result.ok) router.refresh();
                      return result;
                    }}
                  />
                ) : (
                  <ConfirmButton
                    size="sm"
                    label="Disable"
                    title={`Disable ${u.email}?`}
                    description="They are signed out everywhere at once and cannot sign in until an owner enables them again."
                    confirmLabel="Disable"
                    onConfirm={async () => {
                      const result = await disableUserAction(u.id);
                      if (result.ok) router.refresh();
                      return result;
                    }}
                  />
                ))}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
