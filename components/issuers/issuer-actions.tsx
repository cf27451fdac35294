"use client";

import { archiveIssuerAction, resumeIssuerPollingAction } from "@/lib/console/actions/issuers";
import { useRefreshingAction } from "@/components/forms/use-refreshing-action";
import { ArchiveButton } from "@/components/resources/archive-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function ArchiveIssuerButton({ id, name }: { id: string; name: string }) {
  return (
    <ArchiveButton
      noun="issuer"
      name={name}
      consequence="Tokens from this issuer stop being accepted at once. An issuer still used by a live rule cannot be archived; archive those rules first. Archived issuers cannot be restored."
      archive={() => archiveIssuerAction(id)}
    />
  );
}

export function ResumePollingButton({ id }: { id: string }) {
  const resume = useRefreshingAction();
  return (
    <div className="space-y-2">
      <Button size="sm" variant="primary" disabled={resume.pending} onClick={() => resume.run(() => resumeIssuerPollingAction(id))}>
        {resume.pending ? "Resuming…" : "Resume polling"}
      </Button>
      <div aria-live="polite">{resume.error && <Alert tone="error">{resume.error}</Alert>}</div>
    </div>
  );
}
