"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { Dialog } from "../ui/dialog";
import { Icon } from "../ui/icons";
import { NavLinks } from "./nav-links";
import type { NavSection } from "./nav-items";
import { UserMenu, type ShellUser } from "./user-menu";

export function Logo() {
  return (
    <Link href="/" className="flex items-center gap-2 rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
      <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-md bg-brand-600 text-[11px] font-bold tracking-tight text-white">
        WIF
      </span>
      <span className="text-[15px] font-semibold tracking-tight text-zinc-900">WIF Console</span>
    </Link>
  );
}

/**
 * The console frame: a sidebar on wide screens, a top bar with a menu button on phones.
 * One <header> landmark holds the logo, the main navigation and the account menu.
 */
export function AppShell({ user, sections, children }: { user: ShellUser; sections: NavSection[]; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:outline-2 focus:outline-brand-600"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-20 flex h-14 items-center justify-between border-b border-zinc-200 bg-white/95 px-3 backdrop-blur lg:fixed lg:inset-y-0 lg:left-0 lg:h-auto lg:w-60 lg:flex-col lg:items-stretch lg:justify-start lg:border-r lg:border-b-0 lg:bg-zinc-50 lg:px-3 lg:py-4">
        <div className="flex items-center gap-1">
          <button
            type="button"
            onClick={() => setMenuOpen(true)}
            aria-label="Open navigation"
            aria-haspopup="dialog"
            className="rounded-md p-2 text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-600 lg:hidden"
          >
            <Icon name="menu" className="size-5" />
          </button>
          <div className="lg:px-1.5">
            <Logo />
          </div>
        </div>
        <div className="hidden lg:mt-6 lg:block lg:flex-1 lg:overflow-y-auto">
          <NavLinks sections={sections} />
        </div>
        <div className="lg:hidden">
          <UserMenu user={user} placement="down" compact />
        </div>
        <div className="hidden border-t border-zinc-200 pt-3 lg:block">
          <UserMenu user={user} placement="up" />
        </div>
      </header>

      <Dialog open={menuOpen} onClose={() => setMenuOpen(false)} title="Navigation" side="left">
        <button
          type="button"
          onClick={() => setMenuOpen(false)}
          aria-label="Close navigation"
          className="absolute top-3 right-3 rounded-md p-2 text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <Icon name="close" className="size-5" />
        </button>
        <NavLinks sections={sections} onNavigate={() => setMenuOpen(false)} />
      </Dialog>

      <main id="main" tabIndex={-1} className="focus:outline-none lg:pl-60">
        <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 lg:px-10 lg:py-10">{children}</div>
      </main>
    </div>
  );
}
