import type { Metadata } from "next";
import { ServiceAccountForm } from "@/components/service-accounts/service-account-form";
import { FormPage } from "@/components/forms/form-page";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "New service account" };

export default async function NewServiceAccountPage() {
  await requireUser("admin");
  return (
    <FormPage title="New service account" back={{ href: "/service-accounts", label: "Service accounts" }} narrow>
      <ServiceAccountForm />
    </FormPage>
  );
}
