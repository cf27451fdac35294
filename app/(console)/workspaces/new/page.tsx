import type { Metadata } from "next";
import { WorkspaceForm } from "@/components/workspaces/workspace-form";
import { FormPage } from "@/components/forms/form-page";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  await requireUser("admin");
  return (
    <FormPage title="New workspace" back={{ href: "/workspaces", label: "Workspaces" }} narrow>
      <WorkspaceForm />
    </FormPage>
  );
}
