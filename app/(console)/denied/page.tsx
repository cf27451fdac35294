import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Not allowed" };

const NEEDS: Record<string, string> = { owner: "an owner", admin: "an admin or owner", developer: "a developer, admin or owner" };

export default async function DeniedPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const user = await requireUser();
  const need = NEEDS[(await searchParams).need ?? ""] ?? "a different role";
  return (
    <>
      <PageHeader title="You can't open that page" />
      <Card className="max-w-xl">
        <CardContent className="space-y-4">
          <p className="text-sm text-zinc-700">
            It needs {need}. You are signed in as {user.email} with the <strong>{user.role}</strong> role; ask an owner if you need more access.
          </p>
          <ButtonLink href="/">Back to the overview</ButtonLink>
        </CardContent>
      </Card>
    </>
  );
}
