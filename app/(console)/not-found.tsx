import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";

export default function ConsoleNotFound() {
  return (
    <>
      <PageHeader title="Not found" description="There is nothing at this address in this organization. It may have been mistyped, or never existed." />
      <ButtonLink href="/">Back to the overview</ButtonLink>
    </>
  );
}
