"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";

/** An unexpected failure while rendering a console page; details stay in the server log. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <PageHeader title="Something went wrong" />
      <Alert tone="error" className="max-w-xl">
        The page could not be loaded.{error.digest ? ` Reference: ${error.digest}.` : ""} The details are in the server log.
      </Alert>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </>
  );
}
