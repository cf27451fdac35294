"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useOptimistic, useTransition } from "react";

/** "Include Admin API requests" on the audit tab, as `?requests=1`, so the choice survives reloads. */
export function IncludeRequestsToggle({ checked }: { checked: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(checked);
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-zinc-700">
      <input
        type="checkbox"
        className="size-4 rounded border-zinc-400 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        checked={shown}
        aria-busy={pending}
        onChange={(e) => {
          const include = e.target.checked;
          const next = new URLSearchParams(params);
          if (include) next.set("requests", "1");
          else next.delete("requests");
          startTransition(() => {
            setShown(include);
            router.replace(`${pathname}?${next.toString()}`, { scroll: false });
          });
        }}
      />
      Include Admin API requests
    </label>
  );
}
