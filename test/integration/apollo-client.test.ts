import { CombinedGraphQLErrors } from "@apollo/client";
import { createAuthClient, type AuthClient, type SessionEvent } from "../../clients/apollo";
import { MeDocument } from "../../clients/generated/graphql";
import { LOGOUT, TEST_PASSWORD, uniqueEmail } from "../helpers/operations";
import { operationRecorder } from "../helpers/operation-recorder";
import { createTestApp, type TestApp } from "../helpers/test-app";

// Two seconds: whole-second `exp` leaves a renewed token at least one second, ample for ten local retries.
const ACCESS_TOKEN_TTL_SECONDS = 2;

let testApp: TestApp;
const recorder = operationRecorder();

beforeAll(async () => {
  testApp = await createTestApp({ env: { ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_SECONDS) }, plugins: [recorder.plugin] });
});

afterAll(async () => {
  await testApp.close();
});

beforeEach(() => {
  recorder.operations.length = 0;
});

function newAuthClient(): { auth: AuthClient; events: SessionEvent[] } {
  const auth = createAuthClient({ uri: `${testApp.url}/graphql` });
  const events: SessionEvent[] = [];
  auth.session.subscribe((event) => events.push(event));
  return { auth, events };
}

/** Resolves once the server's whole-second clock has passed the token's `exp`. */
async function waitUntilExpired(accessToken: string): Promise<void> {
  const { exp } = JSON.parse(Buffer.from(accessToken.split(".")[1], "base64url").toString("utf8")) as { exp: number };
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 50));
}

/** Ten `me` queries at once, none merged by Apollo's deduplication, so ten requests reach the server. */
function tenParallelMe(auth: AuthClient) {
  return Promise.allSettled(
    Array.from({ length: 10 }, () => auth.client.query({ query: MeDocument, fetchPolicy: "network-only", context: { queryDeduplication: false } })),
  );
}

function unauthenticatedReason(error: unknown): unknown {
  return CombinedGraphQLErrors.is(error) ? [error.errors[0]?.extensions?.code, error.errors[0]?.extensions?.reason] : error;
}

describe("Apollo Client with clients/apollo against the real server", () => {
  it("registers, renews an expired token with exactly one refresh for ten parallel queries, logs out, and is refused afterwards", async () => {
    const { auth, events } = newAuthClient();
    const email = uniqueEmail("apollo");

    await auth.register({ email, password: TEST_PASSWORD });
    const firstAccessToken = auth.session.accessToken!;
    const first = await auth.client.query({ query: MeDocument, fetchPolicy: "network-only" });
    expect(first.data?.me.email).toBe(email);

    await waitUntilExpired(firstAccessToken);
    recorder.operations.length = 0;
    const results = await tenParallelMe(auth);

    expect(results.map((result) => (result.status === "fulfilled" ? result.value.data?.me.email : result.reason))).toEqual(Array(10).fill(email));
    expect(recorder.count("Refresh")).toBe(1);
    expect(recorder.count("Me", "TOKEN_EXPIRED")).toBe(10);
    expect(recorder.count("Me")).toBe(10);
    expect(recorder.operations).toHaveLength(21);
    expect(auth.session.accessToken).not.toBe(firstAccessToken);

    const renewedAccessToken = auth.session.accessToken!;
    await auth.logout();
    expect(recorder.count("Logout")).toBe(1);
    expect(auth.session.signedIn).toBe(false);
    expect(events).toEqual([{ status: "signed-in" }, { status: "signed-out", reason: "signed-out" }]);

    const refused = await auth.client.query({ query: MeDocument, fetchPolicy: "network-only" }).catch((error: unknown) => error);
    expect(unauthenticatedReason(refused)).toEqual(["UNAUTHENTICATED", "TOKEN_MISSING"]);
    // The server refuses the logged-out token too, not only the client that forgot it.
    const replayed = await testApp.client.request("query { me { id } }", { token: renewedAccessToken });
    expect(replayed.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_REVOKED" });
  });

  it("reports signed-out and forgets the tokens when the server answers TOKEN_REVOKED", async () => {
    const { auth, events } = newAuthClient();
    await auth.register({ email: uniqueEmail("revoked"), password: TEST_PASSWORD });
    // The same session logged out elsewhere (another tab or device).
    const elsewhere = await testApp.client.request(LOGOUT, { token: auth.session.accessToken });
    expect(elsewhere.data).toEqual({ logout: true });

    const refused = await auth.client.query({ query: MeDocument, fetchPolicy: "network-only" }).catch((error: unknown) => error);

    expect(unauthenticatedReason(refused)).toEqual(["UNAUTHENTICATED", "TOKEN_REVOKED"]);
    expect(auth.session.signedIn).toBe(false);
    expect(events).toEqual([{ status: "signed-in" }, { status: "signed-out", reason: "revoked" }]);
    expect(recorder.count("Refresh")).toBe(0);
  });

  it("signs out once when the token expired and the refresh is refused, without retrying", async () => {
    const { auth, events } = newAuthClient();
    await auth.register({ email: uniqueEmail("refused"), password: TEST_PASSWORD });
    const accessToken = auth.session.accessToken!;
    await testApp.client.request(LOGOUT, { token: accessToken });
    await waitUntilExpired(accessToken);
    recorder.operations.length = 0;

    const results = await tenParallelMe(auth);

    expect(results.map((result) => (result.status === "rejected" ? unauthenticatedReason(result.reason) : "fulfilled"))).toEqual(
      Array(10).fill(["UNAUTHENTICATED", "TOKEN_EXPIRED"]),
    );
    expect(recorder.count("Refresh", "TOKEN_REVOKED")).toBe(1);
    expect(recorder.count("Me", "TOKEN_EXPIRED")).toBe(10);
    expect(recorder.operations).toHaveLength(11);
    expect(auth.session.signedIn).toBe(false);
    expect(events).toEqual([{ status: "signed-in" }, { status: "signed-out", reason: "refresh-refused" }]);
  });
});
