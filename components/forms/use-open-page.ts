"use client";

import { useRouter } from "next/navigation";

/**
 * Go to a page once a form's change is saved, its server components rendered afresh (the data
 * just changed). `replace`: the form's page leaves the browser history (signing in).
 */
export function useOpenPage(): (path: string, options?: { replace?: boolean }) => void {
  const router = useRouter();
  return (path, options) => {
    if (options?.replace) router.replace(path);
    else router.push(path);
    router.refresh();
  };
}
