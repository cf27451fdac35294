import type { ReactNode } from "react";
import { ButtonLink } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Icon } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { QueryToggle } from "./query-toggle";

/**
 * A resource's index page (issuers, rules, service accounts, workspaces): the heading with
 * its "New …" button for editors, the "Include archived" toggle, and the list — or, when
 * there is nothing to list, `empty` with the same button.
 */
export function ResourceListPage({
  title,
  description,
  create,
  editable,
  includeArchived,
  empty,
  children,
}: {
  title: string;
  description: string;
  create: { href: string; label: string };
  editable: boolean;
  includeArchived: boolean;
  empty?: { title: string; body: ReactNode } | false;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={
          editable && (
            <ButtonLink href={create.href} variant="primary">
              <Icon name="plus" /> {create.label}
            </ButtonLink>
          )
        }
      />
      <div className="mb-3 flex justify-end">
        <QueryToggle param="archived" label="Include archived" checked={includeArchived} />
      </div>
      <Card>
        {empty ? (
          <EmptyState
            title={empty.title}
            action={
              editable && (
                <ButtonLink href={create.href} variant="primary">
                  {create.label}
                </ButtonLink>
              )
            }
          >
            {empty.body}
          </EmptyState>
        ) : (
          children
        )}
      </Card>
    </>
  );
}
