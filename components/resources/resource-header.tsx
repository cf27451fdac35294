import type { ComponentProps, ReactNode } from "react";
import { ButtonLink } from "../ui/button";
import { PageHeader } from "../ui/page-header";
import { ArchiveButton } from "./archive-button";
import { StatusBadge } from "./status-badge";

/**
 * The heading of one resource's page (issuer, rule, service account, workspace): its name, the
 * way back to the list, its status before `badges`, and for editors Edit (when the resource
 * has an edit page) and Archive, after any `actions` of the page's own.
 */
export function ResourceHeader({
  row,
  list,
  archive,
  editable,
  hasEditPage = true,
  title,
  description,
  badges,
  actions,
}: {
  row: { id: string; name: string; archived_at: string | null };
  /** The resources' list: where "back" goes, and the edit page is `${href}/${id}/edit`. */
  list: { href: string; label: string };
  archive: ComponentProps<typeof ArchiveButton>["resource"];
  /** May change it (a role that edits, the resource live). */
  editable: boolean;
  hasEditPage?: boolean;
  /** In place of the plain name. */
  title?: ReactNode;
  description?: string;
  badges?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <PageHeader
      title={title ?? row.name}
      back={list}
      description={description}
      meta={
        <>
          <StatusBadge archivedAt={row.archived_at} />
          {badges}
        </>
      }
      actions={
        (actions || editable) && (
          <>
            {actions}
            {editable && hasEditPage && <ButtonLink href={`${list.href}/${row.id}/edit`}>Edit</ButtonLink>}
            {editable && <ArchiveButton resource={archive} id={row.id} name={row.name} />}
          </>
        )
      }
    />
  );
}
