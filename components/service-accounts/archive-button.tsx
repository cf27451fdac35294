"use client";

import { useRouter } from "next/navigation";
import { archiveServiceAccountAction } from "@/lib/console/actions/service-accounts";
import { ConfirmButton } from "@/components/ui/dialog";

export function ArchiveServiceAccountButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      label="Archive"
      title={`Archive service account ${name}?`}
      description="Its access tokens stop working at once and rules targeting it stop granting tokens. Archived service accounts cannot be restored."
      confirmLabel="Archive service account"
      onConfirm={async () => {
        const result = await archiveServiceAccountAction(id);
        if (result.ok) router.refresh();
        return result;
      }}
    />
  );
}
