"use client";

import { useRouter } from "next/navigation";
import { archiveRuleAction } from "@/lib/console/actions/rules";
import { ConfirmButton } from "@/components/ui/dialog";

export function ArchiveRuleButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      label="Archive"
      title={`Archive rule ${name}?`}
      description="Workloads using this rule can no longer exchange tokens, starting now. Tokens already issued stay valid until they expire. Archived rules cannot be restored."
      confirmLabel="Archive rule"
      onConfirm={async () => {
        const result = await archiveRuleAction(id);
        if (result.ok) router.refresh();
        return result;
      }}
    />
  );
}
