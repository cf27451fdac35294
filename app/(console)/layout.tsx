import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { AppShell } from "@/components/shell/app-shell";
import { navSections } from "@/components/shell/nav-items";
import { requireUser } from "@/lib/console/auth";

/** Signed-in pages. Each page checks the session again itself; this only draws the frame. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <Providers>
      <AppShell user={{ name: user.name, email: user.email, role: user.role }} sections={navSections(user.role === "owner")}>
        {children}
      </AppShell>
    </Providers>
  );
}
