"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { FormError } from "./alert";
import { Button, type ButtonVariant } from "./button";

/**
 * A modal on the native <dialog>: the browser traps focus, closes on Escape and makes the
 * rest of the page inert.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  side = "center",
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  /** `left`: a full-height drawer (the phone navigation). */
  side?: "center" | "left";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={
        side === "left"
          ? "m-0 h-dvh max-h-dvh w-72 max-w-[85vw] border-r border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40"
          : "m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40"
      }
    >
      {open && (
        <div className="p-5">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {description && (
            <div id={descriptionId} className="mt-1.5 text-sm text-zinc-600">
              {description}
            </div>
          )}
          {children && <div className="mt-4">{children}</div>}
          {footer && <div className="mt-5 flex flex-wrap justify-end gap-2">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

type Outcome = { ok: true } | { ok: false; error: { message: string } };

/**
 * A button that asks before doing something consequential (archive, disable). `onConfirm`
 * returns the server action's result; an error stays in the dialog.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  onConfirm,
  variant = "danger",
  triggerVariant = "secondary",
  size = "md",
}: {
  label: string;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<Outcome>;
  variant?: ButtonVariant;
  triggerVariant?: ButtonVariant;
  size?: "sm" | "md";
}) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <>
      <Button variant={triggerVariant} size={size} onClick={() => (setError(undefined), setOpen(true))}>
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        description={description}
        footer={
          <>
            <Button onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button
              variant={variant}
              disabled={pending}
              onClick={async () => {
                setPending(true);
                setError(undefined);
                try {
                  const result = await onConfirm();
                  if (result.ok) setOpen(false);
                  else setError(result.error.message.charAt(0).toUpperCase() + result.error.message.slice(1));
                } finally {
                  setPending(false);
                }
              }}
            >
              {pending ? "Working…" : confirmLabel}
            </Button>
          </>
        }
      >
        <FormError message={error} />
      </Dialog>
    </>
  );
}

/**
 * A `ConfirmButton` whose confirmation runs a server action; when it succeeds the page's
 * server data is refreshed (the archived row, the new status), and an error stays in the dialog.
 */
export function ConfirmActionButton({ action, ...props }: Omit<ComponentProps<typeof ConfirmButton>, "onConfirm"> & { action: () => Promise<Outcome> }) {
  const router = useRouter();
  return (
    <ConfirmButton
      {...props}
      onConfirm={async () => {
        const result = await action();
        if (result.ok) router.refresh();
        return result;
      }}
    />
  );
}

/** A table row's "Remove", confirmed in a dialog that says what removing it does. */
export function RemoveButton({ title, description, action }: { title: string; description: string; action: () => Promise<Outcome> }) {
  return <ConfirmActionButton size="sm" label="Remove" title={title} description={description} confirmLabel="Remove" action={action} />;
}
