import type { IconName } from "../ui/icons";

export interface NavItem {
  href: string;
  label: string;
  icon: IconName;
}

export interface NavSection {
  label?: string;
  items: NavItem[];
}

/** The console's navigation; the Organization section is for owners only. */
export function navSections(isOwner: boolean): NavSection[] {
  const sections: NavSection[] = [
    {
      items: [
        { href: "/", label: "Overview", icon: "home" },
        { href: "/connect", label: "Connect a workload", icon: "plug" },
        { href: "/issuers", label: "Issuers", icon: "issuer" },
        { href: "/service-accounts", label: "Service accounts", icon: "account" },
        { href: "/rules", label: "Rules", icon: "rule" },
      ],
    },
    {
      label: "Debug",
      items: [
        { href: "/tester", label: "Token tester", icon: "beaker" },
        { href: "/history", label: "History", icon: "history" },
      ],
    },
    {
      label: "Gateway",
      items: [
        { href: "/requests", label: "Requests", icon: "activity" },
        { href: "/upstream", label: "Upstream", icon: "server" },
      ],
    },
    {
      label: "Access",
      items: [
        { href: "/workspaces", label: "Workspaces", icon: "workspace" },
        { href: "/api-keys", label: "API keys", icon: "key" },
      ],
    },
  ];
  if (isOwner) {
    sections.push({
      label: "Organization",
      items: [
        { href: "/users", label: "Users", icon: "users" },
        { href: "/settings/sign-in", label: "Sign-in and SSO", icon: "issuer" },
        { href: "/admin-keys", label: "Admin keys", icon: "shieldKey" },
      ],
    });
  }
  return sections;
}

export const isActive = (pathname: string, href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
