"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useOptimistic, useTransition } from "react";

/** A checkbox that rewrites `?<param>=1` ("Include archived"…), so the choice survives reloads. */
export function QueryToggle({ param, label, checked }: { param: string; label: string; checked: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  // Ticks at once; the list follows when the server's page arrives.
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
          if (include) next.set(param, "1");
          else next.delete(param);
          const qs = next.toString();
          startTransition(() => {
            setShown(include);
            router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
          });
        }}
      />
      {label}
    </label>
  );
}
