import { Client } from "pg";
import { createTestApp, TEST_SERVER_URL, type TestApp } from "../helpers/test-app";
import { errorCode, type GraphQLResponse } from "../helpers/graphql-client";
import { decodeJwt } from "../helpers/jwt";
import { login, me, refresh, REGISTER, registerUser, TEST_PASSWORD, uniqueEmail } from "../helpers/operations";

const REQUEST_TIMEOUT_MS = 600;

let server: TestApp;

beforeAll(async () => {
  server = await createTestApp({ env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
});

afterAll(async () => {
  await server.close();
});

function expectRefusedBeforeExecution(response: GraphQLResponse<unknown>, message: RegExp): void {
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  expect(response.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: "BAD_USER_INPUT" } })]));
  for (const error of response.errors!) expect(error.extensions?.code).toBe("BAD_USER_INPUT");
}

/** Fragments spreading into each other `levels` deep; `fanOut` spreads per level. */
function nestedFragments(levels: number, fanOut: number): string {
  const fragments = Array.from({ length: levels }, (_, level) => {
    const body = level + 1 < levels ? Array(fanOut).fill(`...F${level + 1}`).join(" ") : "id email";
    return `fragment F${level} on User { ${body} }`;
  });
  return `query { me { ...F0 } } ${fragments.join(" ")}`;
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }> {
  const response = await fetch(`${server.url}/graphql`, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as never };
}

describe("limits checked before execution", () => {
  it("refuses a document nested deeper than 8 levels", async () => {
    const registered = await registerUser(server.client);
    const response = await server.client.request(nestedFragments(10, 1), { token: registered.accessToken });
    expectRefusedBeforeExecution(response, /depth limit of 8 exceeded/);
  });

  it("refuses a document whose cost explodes through repeated fragment spreads", async () => {
    const registered = await registerUser(server.client);
    const response = await server.client.request(nestedFragments(7, 3), { token: registered.accessToken });
    expectRefusedBeforeExecution(response, /Cost limit of 5000 exceeded/);
  });

  it("refuses more than 10 directives", async () => {
    expect((await server.client.request(`{ ${"__typename @include(if: true) ".repeat(10)} }`)).data).toEqual({ __typename: "Query" });
    expectRefusedBeforeExecution(await server.client.request(`{ ${"__typename @include(if: true) ".repeat(11)} }`), /Directives limit of 10 exceeded/);
  });

  it("refuses more than 1000 tokens while parsing", async () => {
    expect((await server.client.request(`{ ${"__typename ".repeat(990)} }`)).data).toEqual({ __typename: "Query" });
    expectRefusedBeforeExecution(await server.client.request(`{ ${"__typename ".repeat(1000)} }`), /more that 1000 tokens/);
  });

  it("answers syntax errors and unknown fields with BAD_USER_INPUT and status 400, not as internal errors", async () => {
    expectRefusedBeforeExecution(await server.client.request("{ me { id "), /^Syntax Error/);
    expectRefusedBeforeExecution(await server.client.request("{ nothingHere }"), /Cannot query field "nothingHere"/);
    expectRefusedBeforeExecution(await server.client.request("query ($n: Int!) { users(limit: $n) { id } }", { variables: { n: "ten" } }), /Variable "\$n"/);
  });

  it("answers 413 with a code for a body over 100 kB, before parsing it", async () => {
    const response = await post(JSON.stringify({ query: "{ __typename }", padding: "x".repeat(101 * 1024) }), { "content-type": "application/json" });
    expect(response.status).toBe(413);
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("answers 431 with a code for headers over 128 kB", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-filler": "x".repeat(130 * 1024) },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(431);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });
});

describe("per-request time limit", () => {
  it("answers SERVICE_UNAVAILABLE when a request runs longer than REQUEST_TIMEOUT_MS, and the server carries on", async () => {
    const registered = await registerUser(server.client);
    const sessionId = decodeJwt(registered.refreshToken).payload.sid as string;
    // Hold the session row's lock, so the refresh waits for it as long as we like.
    const blocker = new Client({ connectionString: `${TEST_SERVER_URL}/${server.databaseName}` });
    await blocker.connect();
    try {
      await blocker.query("begin");
      await blocker.query("select id from sessions where id = $1 for update", [sessionId]);

      const started = Date.now();
      const response = await refresh(server.client, registered.refreshToken);
      const elapsed = Date.now() - started;

      expect(response.status).toBe(503);
      expect(response.errors).toEqual([{ message: expect.any(String), extensions: { code: "SERVICE_UNAVAILABLE" } }]);
      expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 1500);
    } finally {
      await blocker.query("rollback");
      await blocker.end();
    }
    expect((await me(server.client, registered.accessToken)).errors).toBeUndefined();
    expect((await login(server.client, registered.user.email)).errors).toBeUndefined();
  });
});

describe("CSRF prevention and batching", () => {
  it.each([
    ["text/plain POST", "text/plain"],
    ["form POST", "application/x-www-form-urlencoded"],
  ])("refuses a %s, and the mutation in it never runs", async (_case, contentType) => {
    const email = uniqueEmail("csrf");
    const response = await post(JSON.stringify({ query: REGISTER, variables: { input: { email, password: TEST_PASSWORD } } }), { "content-type": contentType });

    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect((await server.client.request(REGISTER, { variables: { input: { email, password: TEST_PASSWORD } } })).errors).toBeUndefined();
  });

  it.each([
    ["a plain GET", {}],
    ["a GET that claims a preflight", { "apollo-require-preflight": "true" }],
  ])("refuses a mutation sent as %s, and it never runs", async (_case, headers: Record<string, string>) => {
    const registered = await registerUser(server.client);
    const search = new URLSearchParams({ query: "mutation { logout }" });
    const response = await fetch(`${server.url}/graphql?${search}`, { headers: { ...headers, authorization: `Bearer ${registered.accessToken}` } });

    expect([400, 405]).toContain(response.status);
    const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((error) => error.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    expect((await me(server.client, registered.accessToken)).errors).toBeUndefined();
  });

  it("refuses a JSON array of operations", async () => {
    const response = await post(JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]), { "content-type": "application/json" });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("still serves a JSON POST, so the refusals above are not refusing everything", async () => {
    const registered = await registerUser(server.client);
    expect(errorCode(await me(server.client, registered.accessToken))).toBeUndefined();
  });
});
