"use client";

import { archiveRuleAction } from "@/lib/console/actions/rules";
import { ArchiveButton } from "@/components/resources/archive-button";

export function ArchiveRuleButton({ id, name }: { id: string; name: string }) {
  return (
    <ArchiveButton
      noun="rule"
      name={name}
      consequence="Workloads using this rule can no longer exchange tokens, starting now. Tokens already issued stay valid until they expire. Archived rules cannot be restored."
      archive={() => archiveRuleAction(id)}
    />
  );
}
