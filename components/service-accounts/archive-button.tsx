"use client";

import { archiveServiceAccountAction } from "@/lib/console/actions/service-accounts";
import { ArchiveButton } from "@/components/resources/archive-button";

export function ArchiveServiceAccountButton({ id, name }: { id: string; name: string }) {
  return (
    <ArchiveButton
      noun="service account"
      name={name}
      consequence="Its access tokens stop working at once and rules targeting it stop granting tokens. Archived service accounts cannot be restored."
      archive={() => archiveServiceAccountAction(id)}
    />
  );
}
