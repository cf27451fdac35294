"use client";

import { resumeIssuerPollingAction } from "@/lib/console/actions/issuers";
import { useRefreshingAction } from "@/components/forms/use-refreshing-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

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
