"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

type Outcome<T> = { ok: true; data: T } | { ok: false; error: { message: string } };

/**
 * Run a server action from a button: `pending` while it runs; on success `onDone` gets its
 * data (by default the page's server data is refreshed), otherwise `error` holds the action's
 * message until the next run.
 */
export function useRefreshingAction() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const run = async <T>(action: () => Promise<Outcome<T>>, onDone: (data: T) => void = () => router.refresh()) => {
    setPending(true);
    setError(undefined);
    const result = await action();
    setPending(false);
    if (result.ok) onDone(result.data);
    else setError(result.error.message);
  };
  return { pending, error, run };
}
