import type { Metadata } from "next";
import { CreateUser } from "@/components/users/create-user";
import { UserList } from "@/components/users/user-list";
import { SectionCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/console/auth";
import { listUsers } from "@/lib/console/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const ctx = await pageContext("owner");
  const users = await listUsers(ctx);
  return (
    <>
      <PageHeader title="Users" description="People who can sign in to this console. Owners manage users and admin keys; admins change configuration; developers and viewers can only read." />
      <div className="space-y-6">
        <SectionCard id="new-user" title="Add a user" description="Share the initial password with them over a channel you trust." padded>
          <CreateUser />
        </SectionCard>
        <SectionCard id="user-list" title="Users">
          <UserList users={users} currentUserId={ctx.user.id} />
        </SectionCard>
      </div>
    </>
  );
}
