import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ServiceAccountForm } from "@/components/service-accounts/service-account-form";
import { FormPage } from "@/components/forms/form-page";
import { getServiceAccount } from "@/lib/services/service-accounts";
import { pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";

export const metadata: Metadata = { title: "Edit service account" };

export default async function EditServiceAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext("admin");
  const account = await orNotFound(getServiceAccount(ctx, (await params).id));
  if (account.archived_at) redirect(`/service-accounts/${account.id}`);
  return (
    <FormPage title={`Edit ${account.name}`} back={{ href: `/service-accounts/${account.id}`, label: account.name }} narrow>
      <ServiceAccountForm account={account} />
    </FormPage>
  );
}
