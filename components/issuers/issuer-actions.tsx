"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { archiveIssuerAction, resumeIssuerPollingAction } from "@/lib/console/actions/issuers";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/dialog";

export function ArchiveIssuerButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      label="Archive"
      title={`Archive issuer ${name}?`}
      description="Tokens from this issuer stop being accepted at once. An issuer still used by a live rule cannot be archived; archive those rules first. Archived issuers cannot be restored."
      confirmLabel="Archive issuer"
      onConfirm={async () => {
        const result = await archiveIssuerAction(id);
        if (result.ok) router.refresh();
        return result;
      }}
    />
  );
}

export function ResumePollingButton({ id }: { id: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      <Button
        size="sm"
        variant="primary"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(undefined);
          const result = await resumeIssuerPollingAction(id);
          setPending(false);
          if (result.ok) router.refresh();
          else setError(result.error.message);
        }}
      >
        {pending ? "Resuming…" : "Resume polling"}
      </Button>
      <div aria-live="polite">{error && <Alert tone="error">{error}</Alert>}</div>
    </div>
  );
}
