import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...props }: ComponentProps<"section">) {
  return <section className={cn("rounded-lg border border-zinc-200 bg-white shadow-xs", className)} {...props} />;
}

/** A card's heading row: title (an h2 by default), optional description and actions. */
export function CardHeader({ title, description, actions, level = 2, id }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; level?: 2 | 3; id?: string }) {
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-4 py-3 sm:px-5">
      <div className="min-w-0">
        <Heading id={id} className="text-[15px] font-semibold text-zinc-900">
          {title}
        </Heading>
        {description && <p className="mt-0.5 text-sm text-zinc-600">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function CardContent({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("px-4 py-4 sm:px-5", className)} {...props} />;
}

/**
 * A card that is a page section: its heading (whose `id` names the card for screen readers),
 * then `children`: `padded` for forms and text, else edge to edge (tables, lists with their own rows).
 */
export function SectionCard({
  id,
  title,
  description,
  actions,
  className,
  padded,
  children,
}: {
  id: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
  padded?: boolean;
  children?: ReactNode;
}) {
  return (
    <Card aria-labelledby={id} className={className}>
      <CardHeader id={id} title={title} description={description} actions={actions} />
      {padded ? <CardContent>{children}</CardContent> : children}
    </Card>
  );
}
