/**
 * Who is calling and what they may do. Every operation in lib/services takes an
 * `AdminContext` and authorises inside itself; the ways in (Admin API, console actions)
 * only establish the principal.
 */
import type { Kysely } from "kysely";
import type { Config } from "../config";
import { forbidden } from "../core/errors";
import { ORG_ADMIN_SCOPE } from "../core/scopes";
import type { Database } from "../store/schema";

export type UserRole = "owner" | "admin" | "developer" | "viewer";

export type Principal =
  | { kind: "user"; id: string; organizationId: string; role: UserRole; label: string }
  | { kind: "admin_key"; id: string; organizationId: string; label: string }
  | { kind: "api_key"; id: string; organizationId: string; workspaceId: string | null; serviceAccountId: string | null; label: string }
  | {
      kind: "access_token";
      id: string;
      organizationId: string;
      serviceAccountId: string;
      workspaceId: string;
      scopes: ReadonlySet<string>;
      ruleId: string;
      label: string;
    }
  | { kind: "system"; organizationId: string; label: string };

export interface AdminContext {
  db: Kysely<Database>;
  principal: Principal;
  requestId: string | null;
  config: Pick<Config, "allowInsecureIssuers" | "defaultAudience">;
}

/** The tagged ID written to `*_by_actor_id`: a user, a service account, or the key used. */
export function actorId(p: Principal): string | null {
  switch (p.kind) {
    case "user":
    case "admin_key":
    case "api_key":
      return p.id;
    case "access_token":
      return p.serviceAccountId;
    case "system":
      return null;
  }
}

/** May read organization configuration (issuers, rules, service accounts, history). */
export function canRead(p: Principal): boolean {
  if (p.kind === "user" || p.kind === "admin_key" || p.kind === "system") return true;
  return p.kind === "access_token" && p.scopes.has(ORG_ADMIN_SCOPE);
}

/** May change organization configuration. Viewers and developers (console) may not. */
export function canWrite(p: Principal): boolean {
  if (p.kind === "user") return p.role === "owner" || p.role === "admin";
  if (p.kind === "admin_key" || p.kind === "system") return true;
  return p.kind === "access_token" && p.scopes.has(ORG_ADMIN_SCOPE);
}

/**
 * OAuth callers (federated tokens) may only manage rules whose scope stays within
 * `workspace:developer` / `workspace:inference`; wider scopes need a console session or
 * an admin key. @see docs/behaviour.md#scopes-and-effective-permissions; the official SDK's `rules.create` docs.
 */
export function canManageScope(p: Principal, oauthScope: string): boolean {
  if (p.kind !== "access_token") return true;
  return oauthScope.split(" ").every((s) => s === "workspace:developer" || s === "workspace:inference");
}

export function assertCanRead(ctx: AdminContext): void {
  if (!canRead(ctx.principal)) throw forbidden("This credential cannot read organization configuration; use an admin key or an org:admin token");
}

export function assertCanWrite(ctx: AdminContext): void {
  if (!canWrite(ctx.principal)) {
    throw forbidden(
      ctx.principal.kind === "user"
        ? `Your role (${ctx.principal.role}) cannot change configuration; ask an owner or admin`
        : "This credential cannot change organization configuration; use an admin key or an org:admin token",
    );
  }
}
