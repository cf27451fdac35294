import type { Metadata } from "next";
import { WorkspaceForm } from "@/components/workspaces/workspace-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  await requireUser("admin");
  return (
    <>
      <PageHeader title="New workspace" back={{ href: "/workspaces", label: "Workspaces" }} />
      <Card className="max-w-2xl">
        <CardContent className="sm:p-6">
          <WorkspaceForm />
        </CardContent>
      </Card>
    </>
  );
}
