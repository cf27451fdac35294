/**
 * How every console server action runs: it checks the request's origin, the session and the
 * signed-in user's role first, then calls one lib/services operation (which authorises
 * again); failures come back as an `ActionResult` error. Issuers, rules, service accounts and
 * workspaces share the same four actions, made once here.
 */
import "server-only";
import { actionContext, type ConsoleContext } from "@/lib/console/auth";
import { parseListQuery, parseResourceId, runAction, type ActionResult } from "@/lib/console/action-result";
import type { UserRole } from "@/lib/services/context";

/** Run `operation` for the signed-in user, who needs at least `role`. */
export function runAs<T>(role: UserRole, operation: (ctx: ConsoleContext) => Promise<T>): Promise<ActionResult<T>> {
  return runAction(async () => operation(await actionContext(role)));
}

/** A resource's list, create, update and archive operations in lib/services. */
interface ResourceOperations<List, Created, Updated, Archived> {
  list(ctx: ConsoleContext, query: Record<string, string>): Promise<List>;
  create(ctx: ConsoleContext, input: unknown): Promise<Created>;
  update(ctx: ConsoleContext, id: string, input: unknown): Promise<Updated>;
  archive(ctx: ConsoleContext, id: string): Promise<Archived>;
}

/**
 * The console's actions over one resource: viewers list ("Load more" passes only the cursor,
 * the archived filter and the `listParams` named), admins create, update and archive.
 */
export function resourceActions<List, Created, Updated, Archived>(
  operations: ResourceOperations<List, Created, Updated, Archived>,
  listParams: { pass?: readonly string[]; fixed?: Record<string, string> } = {},
) {
  return {
    list: async (query: unknown) => runAs("viewer", (ctx) => operations.list(ctx, { ...parseListQuery(query, listParams.pass), ...listParams.fixed })),
    create: async (input: unknown) => runAs("admin", (ctx) => operations.create(ctx, input)),
    update: async (id: unknown, input: unknown) => runAs("admin", (ctx) => operations.update(ctx, parseResourceId(id), input)),
    archive: async (id: unknown) => runAs("admin", (ctx) => operations.archive(ctx, parseResourceId(id))),
  };
}
