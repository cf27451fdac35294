import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { IssuerForm } from "@/components/issuers/issuer-form";
import { FormPage } from "@/components/forms/form-page";
import { getIssuer } from "@/lib/services/issuers";
import { pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";

export const metadata: Metadata = { title: "Edit issuer" };

export default async function EditIssuerPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext("admin");
  const issuer = await orNotFound(getIssuer(ctx, (await params).id));
  if (issuer.archived_at) redirect(`/issuers/${issuer.id}`);
  return (
    <FormPage title={`Edit ${issuer.name}`} back={{ href: `/issuers/${issuer.id}`, label: issuer.name }}>
      <IssuerForm issuer={issuer} />
    </FormPage>
  );
}
