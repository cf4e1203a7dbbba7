import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { LoginDocument, LogoutDocument, RegisterDocument, type LoginInput, type RegisterInput } from "../generated/graphql";
import { createAuthLink } from "./auth-link";
import { AuthSession } from "./auth-session";

export interface AuthClientOptions {
  /** The GraphQL endpoint, e.g. `https://auth.example.com/graphql`. */
  uri: string;
  /** Defaults to a session whose tokens live in memory only. */
  session?: AuthSession;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface AuthClient {
  client: ApolloClient;
  session: AuthSession;
  /** Creates an account and keeps its tokens. */
  register(input: RegisterInput): Promise<void>;
  /** Signs in and keeps the tokens. */
  login(input: LoginInput): Promise<void>;
  /** Ends the session on the server, then forgets the tokens and the cache, even if the server could not be reached. */
  logout(): Promise<void>;
}

/**
 * An ApolloClient wired to this service: bearer token on every request,
 * single-flight renewal on TOKEN_EXPIRED, signed-out on TOKEN_REVOKED.
 * Use `client` for your own typed operations and `session.subscribe` to
 * react to sign-outs.
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const session = options.session ?? new AuthSession();
  const client = new ApolloClient({
    link: ApolloLink.from([createAuthLink(session), new HttpLink({ uri: options.uri, fetch: options.fetch })]),
    cache: new InMemoryCache(),
  });

  return {
    client,
    session,
    async register(input) {
      const { data } = await client.mutate({ mutation: RegisterDocument, variables: { input }, fetchPolicy: "no-cache" });
      if (data) session.signIn(data.register);
    },
    async login(input) {
      const { data } = await client.mutate({ mutation: LoginDocument, variables: { input }, fetchPolicy: "no-cache" });
      if (data) session.signIn(data.login);
    },
    async logout() {
      try {
        if (session.signedIn) await client.mutate({ mutation: LogoutDocument, fetchPolicy: "no-cache" });
      } finally {
        session.signOut("signed-out");
        await client.clearStore();
      }
    },
  };
}
