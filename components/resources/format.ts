/** Display formats shared by server and client components (UTC, so both render the same text). */
const dateTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTime.format(d)} UTC`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/** 3600 → "1 h", 5400 → "1 h 30 min", 90 → "1 min 30 s". */
export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
  return parts.length ? parts.join(" ") : "0 s";
}

/** A service account's organization roles, as a select offers them. */
export const ORGANIZATION_ROLES = [
  { value: "developer", label: "Developer" },
  { value: "admin", label: "Admin" },
] as const;

export const WORKSPACE_ROLES = [
  { value: "workspace_user", label: "User" },
  { value: "workspace_developer", label: "Developer" },
  { value: "workspace_restricted_developer", label: "Restricted developer" },
  { value: "workspace_admin", label: "Admin" },
] as const;

export const workspaceRoleLabel = (role: string) => WORKSPACE_ROLES.find((r) => r.value === role)?.label ?? role;

export const JWKS_LABELS = { discovery: "OIDC discovery", explicit_url: "JWKS URL", inline: "Inline keys" } as const;

/** The rows a detail page's facts end with: when the resource was created, last changed and archived. */
export function lifecycleItems(r: { created_at: string; updated_at?: string; archived_at: string | null }) {
  return [
    { label: "Created", value: formatDateTime(r.created_at) },
    ...(r.updated_at ? [{ label: "Updated", value: formatDateTime(r.updated_at) }] : []),
    ...(r.archived_at ? [{ label: "Archived", value: formatDateTime(r.archived_at) }] : []),
  ];
}
