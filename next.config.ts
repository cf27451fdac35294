import type { NextConfig } from "next";

/**
 * Security headers for every console response. The Content-Security-Policy itself is set
 * per request in proxy.ts, with a nonce for Next's inline scripts (no 'unsafe-inline'
 * scripts); the one here is the fallback for responses the proxy does not handle (static
 * files), and forbids scripts outright.
 */
const fallbackCsp = ["default-src 'self'", "script-src 'none'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"].join("; ");

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Next logs server-function calls WITH their arguments in development: the token tester's
  // actions receive JWTs and the sign-in action passwords, which must never reach a log.
  logging: { serverFunctions: false },
  serverExternalPackages: ["better-sqlite3", "pg", "@marcbachmann/cel-js"],
  // The console shows no raster images, so the image optimizer stays off: `/_next/image`
  // answers 404 instead of fetching arbitrary local URLs through the proxy (which answered
  // a redirect that the optimizer reported as 500).
  images: { unoptimized: true },
  async headers() {
    return [
      {
        source: "/_next/static/:path*",
        headers: [{ key: "Content-Security-Policy", value: fallbackCsp }],
      },
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
