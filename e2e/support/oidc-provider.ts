/**
 * A real OpenID Connect provider for the browser tests: `oidc-provider` on loopback, with its
 * built-in development login (any login name; the password is not checked) and consent
 * pages. Each login name is an account whose `email`, `name` and `groups` the test sets and
 * changes between sign-ins; the claims go into the ID token.
 */
import Provider from "oidc-provider";

export interface TestAccount {
  email: string;
  name: string;
  groups: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Create or change an account (by login name); the next sign-in sees the change. */
  setAccount(login: string, account: TestAccount): void;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: { port: number; redirectUri: string }): Promise<TestOidcProvider> {
  const issuer = `http://localhost:${opts.port}`;
  const clientId = "wif-console-e2e";
  const clientSecret = `e2e-secret-${Math.random().toString(36).slice(2)}`;
  const accounts = new Map<string, TestAccount>();
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [opts.redirectUri], response_types: ["code"], grant_types: ["authorization_code"] }],
    scopes: ["openid", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // Scope claims in the ID token itself (what Okta and Entra ID do for groups when asked).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ["e2e-cookie-key-not-secret"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          const a = accounts.get(id);
          return { sub: id, ...(a ? { email: a.email, email_verified: true, name: a.name, groups: a.groups } : {}) };
        },
      };
    },
  });
  // Plain http on loopback: cookies without `Secure`.
  provider.proxy = false;
  const server = provider.listen(opts.port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    setAccount: (login, account) => accounts.set(login, account),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
