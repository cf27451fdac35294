/**
 * The filtered authentication history as a download (`?format=ndjson|csv` plus the page's
 * filters), streamed by the same code as the Admin API's export.
 */
import { exportAuthEventsAs } from "@/lib/services/history";
import { queryOf, sessionRoute } from "@/lib/console/session-route";

export async function GET(request: Request) {
  return sessionRoute(request, "viewer", async (ctx) => {
    const file = await exportAuthEventsAs(ctx, queryOf(request));
    return new Response(file.body, {
      headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
    });
  });
}
