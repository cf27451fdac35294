/** Start signing in with a single sign-on provider (the sign-in page's buttons link here). */
import type { NextRequest } from "next/server";
import { ssoStartRoute } from "@/lib/console/sso-routes";

export async function GET(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  return ssoStartRoute(request, (await params).provider);
}
