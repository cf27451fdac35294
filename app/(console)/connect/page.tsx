import type { Metadata } from "next";
import { ConnectWizard } from "@/components/connect/connect-wizard";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canEdit, pageContext } from "@/lib/console/auth";
import { getRuntime } from "@/lib/runtime";
import { connectOptions } from "../../../lib/console/connect-options";

export const metadata: Metadata = { title: "Connect a workload" };

export default async function ConnectPage() {
  const ctx = await pageContext();
  const header = <PageHeader title="Connect a workload" description="Let a CI job, a pod or a cloud function call the API with its own identity token instead of a stored API key." />;
  if (!canEdit(ctx.user)) {
    return (
      <>
        {header}
        <Card className="max-w-xl">
          <CardContent className="space-y-4">
            <Alert tone="info" title="Only admins and owners can connect workloads">
              Connecting a workload creates an issuer, a service account and a rule, which changes who may use the API. You are signed in with the <strong>{ctx.user.role}</strong> role; ask an
              owner or admin to do it, or to give you the admin role.
            </Alert>
            <p className="text-sm text-zinc-700">You can still look at how existing workloads are connected.</p>
            <div className="flex flex-wrap gap-2">
              <ButtonLink href="/rules">View rules</ButtonLink>
              <ButtonLink href="/issuers">View issuers</ButtonLink>
            </div>
          </CardContent>
        </Card>
      </>
    );
  }
  const options = await connectOptions(ctx, await getRuntime());
  return (
    <>
      {header}
      <ConnectWizard options={options} />
    </>
  );
}
