import type { Metadata } from "next";
import { connection } from "next/server";
import { HydrationMark } from "@/components/shell/hydration-mark";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "WIF Console", template: "%s · WIF Console" },
  description: "Workload identity federation: trade a workload's OIDC token for a short-lived access token.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: they depend on the session, and the CSP nonce the
  // proxy sets (which Next applies to its own scripts) only exists at request time.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        {children}
        <HydrationMark />
      </body>
    </html>
  );
}
