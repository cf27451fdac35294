/**
 * Whether snippets can work where they are pasted: a workload on another machine cannot reach
 * a loopback address, so while this server's public URL is one, every snippet says what to set.
 * @see docs/behaviour.md#public-url
 */

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])$/i;

/** True for http://localhost:3000, http://127.0.0.1, http://[::1]… */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The warning every snippet carries while `publicUrl` is a loopback address; null once it is not. */
export function publicUrlWarning(publicUrl: string): string | null {
  if (!isLoopbackUrl(publicUrl)) return null;
  return `These snippets point at ${publicUrl}, which only this machine can reach: a CI job or a pod elsewhere cannot exchange its token there. Set WIF_PUBLIC_URL to the https address workloads reach this server at (for example https://wif.example.com) and restart the server; the snippets follow it.`;
}
