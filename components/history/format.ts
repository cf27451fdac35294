/** How the history shows times, actions and targets (shared by server and client components; UTC). */

const instant = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });

/** "24 Nov 2026, 10:00:05 UTC": to the second, because exchanges are investigated to the second. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${instant.format(d)} UTC`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago"; past dates beyond a month as a date. */
export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 10) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 31) return days === 1 ? "yesterday" : `${days} days ago`;
  return formatInstant(iso).replace(/, .*$/, "");
}

/** `YYYY-MM-DDTHH:MM:SS` for a datetime-local input showing the instant in UTC, or "". */
export function toDateTimeLocal(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 19);
}

/** A datetime-local value read as UTC (`…Z`), which is how the page shows every time. */
export function fromDateTimeLocal(value: string): string {
  const v = value.trim();
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v) ? `${v}Z` : v;
}

const RESOURCE_NOUNS: Record<string, string> = {
  federation_issuer: "Issuer",
  federation_rule: "Rule",
  service_account: "Service account",
  workspace: "Workspace",
  api_key: "API key",
  admin_key: "Admin key",
  user: "User",
  sso_provider: "SSO provider",
  sign_in_policy: "Sign-in policy",
};

/** `federation_rule.workspace_added` → "Rule workspace added"; `api.request` → "Admin API request". */
export function actionLabel(action: string): string {
  if (action === "api.request") return "Admin API request";
  const [resource = "", verb = ""] = action.split(".", 2);
  const noun = RESOURCE_NOUNS[resource] ?? resource.replace(/_/g, " ");
  return `${noun} ${verb.replace(/_/g, " ")}`.trim();
}

const TARGET_PAGES: Record<string, string> = {
  federation_issuer: "/issuers/",
  federation_rule: "/rules/",
  service_account: "/service-accounts/",
  workspace: "/workspaces/",
};

/** The console page of an audit entry's target, when it has one. */
export const targetHref = (type: string | null, id: string | null) => (type && id && TARGET_PAGES[type] ? `${TARGET_PAGES[type]}${id}` : undefined);

const shown = (v: unknown) => (v === null || v === undefined || v === "" ? "(none)" : Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v));

/**
 * An audit entry's detail as label/value pairs: `request: GET /v1/… → 200`, `name: ci`, and
 * for an update one pair per changed field, `oauth_scope: workspace:inference → workspace:developer`.
 */
export function auditDetails(e: { action: string; status_code: number | null; detail: Record<string, unknown> | null }): Array<[string, string]> {
  const d = e.detail ?? {};
  if (e.action === "api.request") return [["request", `${String(d.method ?? "")} ${String(d.path ?? "")}${e.status_code ? ` → ${e.status_code}` : ""}`.trim()]];
  return Object.entries(d).flatMap(([k, v]): Array<[string, string]> => {
    if (k === "changed" && v !== null && typeof v === "object") {
      const changes = Object.entries(v as Record<string, { from?: unknown; to?: unknown }>);
      return changes.length === 0 ? [["changed", "nothing"]] : changes.map(([field, c]) => [field, `${shown(c?.from)} → ${shown(c?.to)}`]);
    }
    return [[k, shown(v)]];
  });
}
