"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../ui/cn";
import { Icon } from "../ui/icons";
import { isActive, type NavSection } from "./nav-items";

export function NavLinks({ sections, onNavigate }: { sections: NavSection[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-5">
      {sections.map((section, i) => (
        <div key={section.label ?? i}>
          {section.label && <p className="mb-1 px-2.5 text-xs font-medium text-zinc-600">{section.label}</p>}
          <ul className="space-y-0.5">
            {section.items.map((item) => {
              const active = isActive(pathname, item.href);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    onClick={onNavigate}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600",
                      active ? "bg-zinc-200/70 text-zinc-950" : "text-zinc-700 hover:bg-zinc-200/50 hover:text-zinc-950",
                    )}
                  >
                    <Icon name={item.icon} className={cn("size-4", active ? "text-brand-600" : "text-zinc-500")} />
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
