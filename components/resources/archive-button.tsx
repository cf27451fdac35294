"use client";

import { ConfirmActionButton } from "../ui/dialog";

type Outcome = { ok: true } | { ok: false; error: { message: string } };

/** "Archive", confirmed in a dialog that names the resource and says what archiving it stops. */
export function ArchiveButton({ noun, name, consequence, archive }: { noun: string; name: string; consequence: string; archive: () => Promise<Outcome> }) {
  return <ConfirmActionButton label="Archive" title={`Archive ${noun} ${name}?`} description={consequence} confirmLabel={`Archive ${noun}`} action={archive} />;
}
