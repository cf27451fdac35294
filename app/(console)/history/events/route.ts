/** One page of the authentication history as JSON: the history page's "Load more" and live refresh. */
import { listAuthEvents } from "@/lib/services/history";
import { queryOf, sessionRoute } from "@/lib/console/session-route";

export async function GET(request: Request) {
  return sessionRoute(request, "viewer", async (ctx) => Response.json(await listAuthEvents(ctx, queryOf(request))));
}
