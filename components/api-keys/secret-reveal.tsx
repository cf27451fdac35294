"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** A new secret, shown once: copy it now; only its hash is kept. */
export function SecretReveal({ title, secret, onDone, copyLabel = "Copy key" }: { title: string; secret: string; onDone: () => void; copyLabel?: string }) {
  return (
    <Alert tone="success" title={title}>
      <p>Copy it now and store it somewhere safe. It will not be shown again; only a hash is kept.</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code className="rounded border border-emerald-300 bg-white px-2 py-1.5 font-mono text-[12.5px] break-all text-zinc-900 select-all">
          {secret}
        </code>
        <CopyButton value={secret} label={copyLabel} />
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </Alert>
  );
}
