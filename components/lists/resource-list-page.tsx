import type { ReactNode } from "react";
import type { ResourceIndex } from "@/lib/console/load";
import { ButtonLink } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Icon } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { QueryToggle } from "./query-toggle";

/**
 * A resource's index page (issuers, rules, service accounts, workspaces), as `index` loaded it:
 * the heading with its "New …" button for editors, the "Include archived" toggle, and the
 * list — or, when there is nothing to list, `empty` with the same button.
 */
export function ResourceListPage({
  index: { editable, includeArchived, list },
  title,
  description,
  create,
  empty,
  children,
}: {
  index: ResourceIndex<unknown>;
  title: string;
  description: string;
  create: { href: string; label: string };
  /** What to say when there are no rows (a list that is never empty has none). */
  empty?: { title: string; body: ReactNode };
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
        {empty && list.initial.data.length === 0 ? (
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
