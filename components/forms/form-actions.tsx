import { Button, ButtonLink } from "../ui/button";

/** A form's closing row: submit (with its label while the request runs) and, when given, Cancel back to `cancelHref`. */
export function FormActions({ submitting, submitLabel, busyLabel = "Saving…", cancelHref }: { submitting: boolean; submitLabel: string; busyLabel?: string; cancelHref?: string | undefined }) {
  return (
    <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-5">
      <Button type="submit" variant="primary" disabled={submitting}>
        {submitting ? busyLabel : submitLabel}
      </Button>
      {cancelHref && <ButtonLink href={cancelHref}>Cancel</ButtonLink>}
    </div>
  );
}
