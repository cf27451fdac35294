import type { Metadata } from "next";
import { IssuerForm } from "@/components/issuers/issuer-form";
import { FormPage } from "@/components/forms/form-page";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "New issuer" };

export default async function NewIssuerPage() {
  await requireUser("admin");
  return (
    <FormPage title="New issuer" description="Register an OIDC identity provider whose tokens workloads will exchange." back={{ href: "/issuers", label: "Issuers" }}>
      <IssuerForm />
    </FormPage>
  );
}
