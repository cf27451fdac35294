/** One page of the audit log as JSON: the "Configuration changes" tab's "Load more" and live refresh. */
import { listAuditEvents } from "@/lib/services/history";
import { queryOf, sessionRoute } from "@/lib/console/session-route";

export async function GET(request: Request) {
  return sessionRoute(request, "viewer", async (ctx) => Response.json(await listAuditEvents(ctx, queryOf(request))));
}
