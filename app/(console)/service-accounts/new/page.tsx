import type { Metadata } from "next";
import { CreateServiceAccountForm } from "@/components/service-accounts/service-account-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "New service account" };

export default async function NewServiceAccountPage() {
  await requireUser("admin");
  return (
    <>
      <PageHeader title="New service account" back={{ href: "/service-accounts", label: "Service accounts" }} />
      <Card className="max-w-2xl">
        <CardContent className="sm:p-6">
          <CreateServiceAccountForm />
        </CardContent>
      </Card>
    </>
  );
}
