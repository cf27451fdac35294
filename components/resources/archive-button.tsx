"use client";

import { archiveIssuerAction } from "@/lib/console/actions/issuers";
import { archiveRuleAction } from "@/lib/console/actions/rules";
import { archiveServiceAccountAction } from "@/lib/console/actions/service-accounts";
import { archiveWorkspaceAction } from "@/lib/console/actions/workspaces";
import { ConfirmActionButton } from "../ui/dialog";

/** What archiving each resource stops, for the confirmation; archiving is final for all of them. */
const ARCHIVABLE = {
  issuer: {
    noun: "issuer",
    consequence: "Tokens from this issuer stop being accepted at once. An issuer still used by a live rule cannot be archived; archive those rules first. Archived issuers cannot be restored.",
    archive: archiveIssuerAction,
  },
  rule: {
    noun: "rule",
    consequence: "Workloads using this rule can no longer exchange tokens, starting now. Tokens already issued stay valid until they expire. Archived rules cannot be restored.",
    archive: archiveRuleAction,
  },
  serviceAccount: {
    noun: "service account",
    consequence: "Its access tokens stop working at once and rules targeting it stop granting tokens. Archived service accounts cannot be restored.",
    archive: archiveServiceAccountAction,
  },
  workspace: {
    noun: "workspace",
    consequence: "Tokens and API keys can no longer be used in this workspace. Archived workspaces cannot be restored.",
    archive: archiveWorkspaceAction,
  },
} as const;

/** "Archive", confirmed in a dialog that names the resource and says what archiving it stops. */
export function ArchiveButton({ resource, id, name }: { resource: keyof typeof ARCHIVABLE; id: string; name: string }) {
  const { noun, consequence, archive } = ARCHIVABLE[resource];
  return <ConfirmActionButton label="Archive" title={`Archive ${noun} ${name}?`} description={consequence} confirmLabel={`Archive ${noun}`} action={() => archive(id)} />;
}
