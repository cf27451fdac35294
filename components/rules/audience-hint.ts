/** The audience field's hint, shared by the rule form and the guided setup. */

/**
 * Why the audience is what it is. This server's URL by default, so a token requested for it is
 * useless elsewhere; the hosted platform's audience (the server default) is a choice to make knowingly.
 */
export function audienceHint(defaultAudience: string, publicUrl: string): string {
  const hosted = `Leave it empty to require ${defaultAudience}, the server's default${defaultAudience === "https://api.anthropic.com" ? " and the hosted platform's audience: choose that only when the same identity token must also work there, since a token requested for it is accepted by both" : ""}.`;
  return publicUrl ? `The token's aud; ${publicUrl} (this server) by default, so a token requested for this server is useless anywhere else. ${hosted}` : `The token's aud. ${hosted}`;
}
