import type { ReactNode } from "react";
import { Card, CardContent } from "../ui/card";
import { PageHeader } from "../ui/page-header";

/**
 * A page that is one form (new issuer, edit service account…): the heading with its way
 * back, any `notice`, and the form in a card — `narrow` for short forms.
 */
export function FormPage({
  title,
  description,
  back,
  narrow,
  notice,
  children,
}: {
  title: string;
  description?: string;
  back: { href: string; label: string };
  narrow?: boolean;
  notice?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} back={back} />
      {notice}
      <Card className={narrow ? "max-w-2xl" : undefined}>
        <CardContent className="sm:p-6">{children}</CardContent>
      </Card>
    </>
  );
}
