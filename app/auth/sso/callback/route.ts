/** Where identity providers send the browser back: the redirect URI to register is `<console URL>/auth/sso/callback`. */
import type { NextRequest } from "next/server";
import { ssoCallbackRoute } from "@/lib/console/sso-routes";

export async function GET(request: NextRequest) {
  return ssoCallbackRoute(request);
}
