import type { Metadata } from "next";
import { CreateAdminKey } from "@/components/api-keys/create-key";
import { KeyList } from "@/components/api-keys/key-list";
import { Alert } from "@/components/ui/alert";
import { SectionCard } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/services/api-keys";
import { pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Admin keys" };

export default async function AdminKeysPage() {
  const ctx = await pageContext("owner");
  const keys = await listApiKeys(ctx, { kind: "admin", limit: "20" });
  return (
    <>
      <PageHeader title="Admin keys" description="Keys for the Admin API (sk-ant-admin01-…) with an owner's powers over issuers, rules, service accounts and keys: for automation such as Terraform or CI bootstrap." />
      <div className="space-y-6">
        <Alert tone="warning">Treat an admin key like a root password. Prefer a federation rule with the org:admin scope where the automation can present an identity token.</Alert>
        <SectionCard id="new-admin-key" title="Create an admin key" description="The key is shown once, right after it is created." padded>
          <CreateAdminKey />
        </SectionCard>
        <SectionCard id="admin-key-list" title="Keys">
          {keys.data.length === 0 ? <EmptyState title="No admin keys" /> : <KeyList kind="admin" initial={keys} version={ctx.requestId ?? ""} editable workspaceNames={{}} />}
        </SectionCard>
      </div>
    </>
  );
}
