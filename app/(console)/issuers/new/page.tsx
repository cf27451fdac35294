import type { Metadata } from "next";
import { IssuerForm } from "@/components/issuers/issuer-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "New issuer" };

export default async function NewIssuerPage() {
  await requireUser("admin");
  return (
    <>
      <PageHeader title="New issuer" description="Register an OIDC identity provider whose tokens workloads will exchange." back={{ href: "/issuers", label: "Issuers" }} />
      <Card>
        <CardContent className="sm:p-6">
          <IssuerForm />
        </CardContent>
      </Card>
    </>
  );
}
