"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { signOutAction } from "@/lib/console/actions/session";
import { Badge } from "../ui/badge";
import { cn } from "../ui/cn";
import { Icon } from "../ui/icons";

export interface ShellUser {
  name: string;
  email: string;
  role: "owner" | "admin" | "developer" | "viewer";
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("") || "?";

/** The signed-in user's name, role and the sign-out button, in a disclosure. */
export function UserMenu({ user, placement, compact = false }: { user: ShellUser; placement: "up" | "down"; compact?: boolean }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className={cn(
          "flex items-center gap-2.5 rounded-md text-left text-sm hover:bg-zinc-200/50 focus-visible:outline-2 focus-visible:outline-brand-600",
          compact ? "p-1" : "w-full px-2 py-1.5",
        )}
      >
        <span aria-hidden="true" className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white">
          {initials(user.name)}
        </span>
        <span className={cn("min-w-0 flex-1", compact && "sr-only")}>
          <span className="block truncate font-medium text-zinc-900">{user.name}</span>
          <span className="block truncate text-xs text-zinc-600">{user.email}</span>
        </span>
        <span className="sr-only">Account menu</span>
        {!compact && <Icon name="chevronDown" className={cn("size-4 text-zinc-500 transition-transform", open && "rotate-180")} />}
      </button>
      <div
        id={panelId}
        hidden={!open}
        className={cn(
          "absolute z-30 w-64 rounded-lg border border-zinc-200 bg-white p-1.5 shadow-lg",
          placement === "up" ? "bottom-full left-0 mb-2" : "top-full right-0 mt-2",
        )}
      >
        <div className="px-2.5 py-2">
          <p className="truncate text-sm font-medium text-zinc-900">{user.name}</p>
          <p className="truncate text-xs text-zinc-600">{user.email}</p>
          <Badge tone="brand" className="mt-1.5 capitalize">
            {user.role}
          </Badge>
        </div>
        <div className="my-1 border-t border-zinc-200" />
        <Link
          href="/account"
          onClick={() => setOpen(false)}
          className="flex w-full items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-sm text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <Icon name="account" className="size-4 text-zinc-500" />
          Account and second factor
        </Link>
        <form action={signOutAction}>
          <button
            type="submit"
            className="flex w-full items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-sm text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            <Icon name="logout" className="size-4 text-zinc-500" />
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}
