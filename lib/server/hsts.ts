/**
 * HTTP Strict Transport Security: a browser that once reached this server over https keeps
 * to https for `max-age` seconds. Sent only on https responses — over plain http the header
 * is ignored by browsers (RFC 6797 §8.1) and would be a lie about how we were reached.
 * @see RFC 6797
 */

/**
 * The `Strict-Transport-Security` value for a response, or undefined for none. Whether the
 * request is https is the caller's question (today: the socket is TLS; with trusted proxies,
 * their `X-Forwarded-Proto`), so this stays the one place that decides the header.
 */
export function strictTransportSecurity(isHttps: boolean, maxAgeSeconds: number): string | undefined {
  if (!isHttps || maxAgeSeconds <= 0) return undefined;
  // No includeSubDomains: this server cannot know whether every host below its own serves https.
  return `max-age=${Math.floor(maxAgeSeconds)}`;
}
