import { ApolloLink, CombinedGraphQLErrors, type ApolloClient } from "@apollo/client";
import { from, mergeMap, of, type Observable } from "rxjs";
import { RefreshDocument } from "../generated/graphql";
import type { AuthSession, RefreshOutcome } from "./auth-session";

/** Set on an operation's context to send it without the bearer token and without renewal (the refresh itself). */
export const SKIP_AUTH = "skipAuth";

/**
 * Sends `Authorization: Bearer <accessToken>` on every operation. When the
 * server answers UNAUTHENTICATED with reason TOKEN_EXPIRED, it renews the
 * token through `session` (one `refresh` call for however many operations
 * expired together) and retries the operation once. TOKEN_REVOKED, or a
 * refused refresh, signs the session out.
 *
 * Put it before the terminating HttpLink: `ApolloLink.from([createAuthLink(session), httpLink])`.
 */
export function createAuthLink(session: AuthSession): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (operation.getContext()[SKIP_AUTH]) return forward(operation);

    const sentWith = session.accessToken;
    setBearer(operation, sentWith);
    return forward(operation).pipe(
      mergeMap((result): Observable<ApolloLink.Result> => {
        const reason = authFailureReason(result);
        if (reason === "TOKEN_REVOKED") session.signOut("revoked");
        if (reason !== "TOKEN_EXPIRED" || sentWith === undefined) return of(result);

        return from(session.renew(sentWith, (refreshToken) => exchangeRefreshToken(operation.client, refreshToken))).pipe(
          mergeMap((renewed) => {
            if (renewed === undefined) return of(result);
            setBearer(operation, renewed);
            return forward(operation).pipe(
              mergeMap((retried) => {
                if (authFailureReason(retried) === "TOKEN_REVOKED") session.signOut("revoked");
                return of(retried);
              }),
            );
          }),
        );
      }),
    );
  });
}

function setBearer(operation: ApolloLink.Operation, accessToken: string | undefined): void {
  operation.setContext(({ headers }) => {
    const { authorization: _previous, ...others } = (headers ?? {}) as Record<string, string>;
    return { headers: accessToken === undefined ? others : { ...others, authorization: `Bearer ${accessToken}` } };
  });
}

/** The `extensions.reason` of an UNAUTHENTICATED error in a result, if there is one. */
function authFailureReason(result: ApolloLink.Result): string | undefined {
  const errors = "errors" in result ? result.errors : undefined;
  const unauthenticated = errors?.find((error) => error.extensions?.code === "UNAUTHENTICATED");
  const reason = unauthenticated?.extensions?.reason;
  return typeof reason === "string" ? reason : undefined;
}

/**
 * Runs the typed `Refresh` mutation through the same client (so the same
 * transport and headers), outside the cache. UNAUTHENTICATED means the
 * refresh token is spent, expired or revoked: the session is over. Anything
 * else (rate limit, outage, network) may pass, so the session is kept.
 */
async function exchangeRefreshToken(client: ApolloClient, refreshToken: string): Promise<RefreshOutcome> {
  try {
    const { data } = await client.mutate({
      mutation: RefreshDocument,
      variables: { refreshToken },
      fetchPolicy: "no-cache",
      context: { [SKIP_AUTH]: true },
    });
    if (!data) return { kind: "failed", error: new Error("refresh returned no data") };
    return { kind: "renewed", tokens: { accessToken: data.refresh.accessToken, refreshToken: data.refresh.refreshToken } };
  } catch (error) {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((graphQLError) => graphQLError.extensions?.code === "UNAUTHENTICATED")) {
      return { kind: "refused" };
    }
    return { kind: "failed", error };
  }
}
