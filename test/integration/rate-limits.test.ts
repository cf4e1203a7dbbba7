import { createHash } from "node:crypto";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode, GraphQLClient, type GraphQLResponse, type RequestOptions } from "../helpers/graphql-client";
import { sleep } from "../helpers/jwt";
import { login, me, refresh, REGISTER, registerUser, TEST_PASSWORD, uniqueEmail } from "../helpers/operations";

const LOGIN_ATTEMPTS_PER_EMAIL = 3;
const WINDOW_SECONDS = 15 * 60;

/** A client behind the one trusted proxy, which reports `ip` as the client's address. */
class ClientBehindProxy extends GraphQLClient {
  constructor(
    baseUrl: string,
    private readonly forwardedFor: string,
  ) {
    super(baseUrl);
  }

  override request<T = Record<string, unknown>>(query: string, options: RequestOptions = {}): Promise<GraphQLResponse<T>> {
    return super.request<T>(query, { ...options, headers: { "x-forwarded-for": this.forwardedFor, ...options.headers } });
  }
}

let nextAddress = 1;
/** A client with an address of its own, so each test has its own per-IP budget. */
function freshClient(server: TestApp): GraphQLClient {
  return new ClientBehindProxy(server.url, `198.51.100.${nextAddress++}`);
}

/** The limiter's Redis key for an email: hashed, so Redis holds no addresses. */
function emailLimiterKey(email: string): string {
  return `ratelimit:login-email:${createHash("sha256").update(email.trim().toLowerCase()).digest("base64url")}`;
}

function wrongLoginFields(count: number, email: string): string {
  return Array.from({ length: count }, (_, i) => `attempt${i}: login(input: { email: "${email}", password: "wrong password ${i}" }) { accessToken }`).join("\n");
}

function codesByPath(response: GraphQLResponse<unknown>): Record<string, string | undefined> {
  return Object.fromEntries((response.errors ?? []).map((error) => [String(error.path?.[0]), error.extensions?.code]));
}

describe("login attempts per email", () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await createTestApp({
      env: { LOGIN_ATTEMPTS_PER_EMAIL: String(LOGIN_ATTEMPTS_PER_EMAIL), AUTH_ATTEMPTS_PER_IP: "40", TRUST_PROXY: "1" },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it("refuses even the right password with TOO_MANY_REQUESTS and retryAfter once the failures of all case variants reach the limit", async () => {
    const client = freshClient(server);
    const registered = await registerUser(client);
    const email = registered.user.email;

    for (const variant of [email.toUpperCase(), email, ` ${email[0].toUpperCase()}${email.slice(1)} `]) {
      expect(errorCode(await login(client, variant, "not the password"))).toBe("INVALID_CREDENTIALS");
    }
    const refused = await login(freshClient(server), email, TEST_PASSWORD);

    expect(refused.data).toBeNull();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0].extensions).toEqual({ code: "TOO_MANY_REQUESTS", retryAfter: expect.any(Number) });
    expect(refused.errors![0].extensions!.retryAfter).toBeGreaterThan(WINDOW_SECONDS - 30);
    expect(refused.errors![0].extensions!.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(errorCode(await login(client, email.toUpperCase(), TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
  });

  it("counts failures only: successful logins leave the budget untouched", async () => {
    const client = freshClient(server);
    const registered = await registerUser(client);

    for (let i = 0; i < LOGIN_ATTEMPTS_PER_EMAIL + 2; i++) {
      expect((await login(client, registered.user.email)).errors).toBeUndefined();
    }
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_EMAIL; i++) {
      expect(errorCode(await login(client, registered.user.email, "not the password"))).toBe("INVALID_CREDENTIALS");
    }
    expect(errorCode(await login(client, registered.user.email))).toBe("TOO_MANY_REQUESTS");
  });

  it("counts an unknown email exactly like a known one, and still lets it be registered later", async () => {
    const client = freshClient(server);
    const known = await registerUser(client);
    const unknown = uniqueEmail("nobody-yet");

    const knownAnswers = [];
    const unknownAnswers = [];
    for (let i = 0; i <= LOGIN_ATTEMPTS_PER_EMAIL; i++) {
      knownAnswers.push(await login(client, known.user.email, "not the password"));
      unknownAnswers.push(await login(client, unknown, "not the password"));
    }

    const shape = (response: GraphQLResponse<unknown>) => response.errors!.map(({ message, extensions }) => ({ message: message.replace(/\d+/g, "N"), code: extensions?.code }));
    expect(unknownAnswers.map(shape)).toEqual(knownAnswers.map(shape));
    expect(unknownAnswers.map(errorCode)).toEqual([...Array(LOGIN_ATTEMPTS_PER_EMAIL).fill("INVALID_CREDENTIALS"), "TOO_MANY_REQUESTS"]);

    const registered = await client.request(REGISTER, { variables: { input: { email: unknown, password: TEST_PASSWORD } } });
    expect(registered.errors).toBeUndefined();
  });

  it("lifts on schedule: the window is 15 minutes from the first failure, and the right password works once it has passed", async () => {
    const client = freshClient(server);
    const registered = await registerUser(client);
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_EMAIL; i++) await login(client, registered.user.email, "not the password");
    expect(errorCode(await login(client, registered.user.email))).toBe("TOO_MANY_REQUESTS");

    const key = emailLimiterKey(registered.user.email);
    const remainingMs = await server.redis.pttl(key);
    expect(remainingMs).toBeGreaterThan((WINDOW_SECONDS - 30) * 1000);
    expect(remainingMs).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);
    const stored = await server.redis.keys(`${server.config.redisKeyPrefix}ratelimit:*`);
    expect(stored.join(" ")).not.toContain(registered.user.email.split("@")[0]);

    // Fast-forward the window instead of waiting 15 minutes.
    await server.redis.pexpire(key, 1200);
    const stillRefused = await login(client, registered.user.email);
    expect(errorCode(stillRefused)).toBe("TOO_MANY_REQUESTS");
    expect(stillRefused.errors![0].extensions!.retryAfter).toBeLessThanOrEqual(2);

    await sleep(1400);
    const afterWindow = await login(client, registered.user.email);
    expect(afterWindow.errors).toBeUndefined();
    expect(afterWindow.data!.login.user.id).toBe(registered.user.id);
  });
});

describe("one GraphQL document cannot multiply attempts", () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await createTestApp({
      env: { LOGIN_ATTEMPTS_PER_EMAIL: String(LOGIN_ATTEMPTS_PER_EMAIL), AUTH_ATTEMPTS_PER_IP: "40", TRUST_PROXY: "1" },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it("counts every aliased operation, in the document or in its fragments, against the per-IP budget", async () => {
    const address = "192.0.2.10";
    const client = new ClientBehindProxy(server.url, address);
    const register = (alias: string) => `${alias}: register(input: { email: "${uniqueEmail(alias)}", password: "${TEST_PASSWORD}" }) { accessToken }`;

    const aliased = await client.request(`mutation { ${["a", "b", "c", "d", "e"].map(register).join(" ")} }`);
    expect(aliased.errors).toBeUndefined();
    expect(Number(await server.redis.get(`ratelimit:auth-ip:${address}`))).toBe(5);

    const fragments = await client.request(`mutation { ...First ...Second } fragment First on Mutation { ${register("f")} ${register("g")} } fragment Second on Mutation { ${register("h")} }`);
    expect(fragments.errors).toBeUndefined();
    expect(Number(await server.redis.get(`ratelimit:auth-ip:${address}`))).toBe(8);
  });

  it("ends a document at its first failed login: the aliases after it never run", async () => {
    const client = freshClient(server);
    const registered = await registerUser(client);

    const response = await client.request(`mutation { ${wrongLoginFields(5, registered.user.email)} }`);

    expect(response.data).toBeNull();
    expect(codesByPath(response)).toEqual({ attempt0: "INVALID_CREDENTIALS" });
    expect(Number(await server.redis.get(emailLimiterKey(registered.user.email)))).toBe(1);
  });

  it("runs a repeated identical root field once and refuses differing repeats before execution", async () => {
    const client = freshClient(server);
    const registered = await registerUser(client);
    const email = registered.user.email;
    const field = (password: string) => `login(input: { email: "${email}", password: "${password}" }) { accessToken }`;

    const identical = await client.request(`mutation { ${field("wrong one")} ${field("wrong one")} }`);
    expect(identical.errors).toHaveLength(1);
    expect(errorCode(identical)).toBe("INVALID_CREDENTIALS");
    expect(Number(await server.redis.get(emailLimiterKey(email)))).toBe(1);

    const differing = await client.request(`mutation { ${field("wrong one")} ${field("wrong two")} ${field("wrong three")} }`);
    expect(differing.status).toBe(400);
    expect(differing.data).toBeUndefined();
    expect(errorCode(differing)).toBe("BAD_USER_INPUT");
    expect(Number(await server.redis.get(emailLimiterKey(email)))).toBe(1);
  });

  it.each([
    ["six aliases", (email: string) => `mutation { ${wrongLoginFields(6, email)} }`],
    [
      "six aliases across fragments",
      (email: string) => `mutation { ...A ...B } fragment A on Mutation { ${wrongLoginFields(3, email)} } fragment B on Mutation { ${wrongLoginFields(3, email).replace(/attempt/g, "again")} }`,
    ],
  ])("refuses a document with %s before anything runs", async (_case, document) => {
    const client = freshClient(server);
    const registered = await registerUser(client);

    const response = await client.request(document(registered.user.email));

    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([{ message: expect.stringMatching(/Aliases limit of 5 exceeded/), extensions: { code: "BAD_USER_INPUT" } }]);
    expect(await server.redis.exists(emailLimiterKey(registered.user.email))).toBe(0);
    expect((await login(client, registered.user.email)).errors).toBeUndefined();
  });

  it("refuses a JSON array of operations (no batching)", async () => {
    const registered = await registerUser(freshClient(server));
    const operation = { query: `mutation { ${wrongLoginFields(1, registered.user.email)} }` };

    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(Array(4).fill(operation)),
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    expect(await server.redis.exists(emailLimiterKey(registered.user.email))).toBe(0);
  });
});

describe("auth attempts per client IP", () => {
  let server: TestApp;

  afterEach(async () => {
    await server.close();
  });

  it("share one budget for register, login and refresh; other operations and a spoofed X-Forwarded-For change nothing", async () => {
    server = await createTestApp({ env: { AUTH_ATTEMPTS_PER_IP: "4", TRUST_PROXY: "0" } });
    const registered = await registerUser(server.client);
    expect((await login(server.client, registered.user.email)).errors).toBeUndefined();
    expect((await refresh(server.client, registered.refreshToken)).errors).toBeUndefined();
    expect(errorCode(await login(server.client, registered.user.email, "not the password"))).toBe("INVALID_CREDENTIALS");

    const spoofing = (address: string) => ({ headers: { "x-forwarded-for": address } });
    const register = await server.client.request(REGISTER, { variables: { input: { email: uniqueEmail(), password: TEST_PASSWORD } }, ...spoofing("203.0.113.1") });
    const loginAgain = await new ClientBehindProxy(server.url, "203.0.113.2").request(`mutation { ${wrongLoginFields(1, uniqueEmail())} }`);
    const refreshAgain = await refresh(new ClientBehindProxy(server.url, "203.0.113.3, 203.0.113.4"), registered.refreshToken);

    for (const response of [register, loginAgain, refreshAgain]) {
      expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: "TOO_MANY_REQUESTS", retryAfter: expect.any(Number) } })]);
    }
    expect((await me(server.client, registered.accessToken)).errors).toBeUndefined();
  });

  it("counts calls with invalid input too, so probing input is no free pass", async () => {
    server = await createTestApp({ env: { AUTH_ATTEMPTS_PER_IP: "2" } });
    expect(errorCode(await server.client.request(REGISTER, { variables: { input: { email: "not-an-email", password: TEST_PASSWORD } } }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await login(server.client, "also-not-an-email"))).toBe("BAD_USER_INPUT");

    const third = await server.client.request(REGISTER, { variables: { input: { email: uniqueEmail(), password: TEST_PASSWORD } } });
    expect(errorCode(third)).toBe("TOO_MANY_REQUESTS");
  });

  it("behind TRUST_PROXY=1 takes the address the proxy appended, not what the client wrote before it", async () => {
    server = await createTestApp({ env: { AUTH_ATTEMPTS_PER_IP: "2", TRUST_PROXY: "1" } });
    const attempt = (forwardedFor: string) => login(new ClientBehindProxy(server.url, forwardedFor), uniqueEmail(), "not the password");

    expect(errorCode(await attempt("10.0.0.1, 203.0.113.7"))).toBe("INVALID_CREDENTIALS");
    expect(errorCode(await attempt("10.0.0.2, 203.0.113.7"))).toBe("INVALID_CREDENTIALS");
    expect(errorCode(await attempt("10.0.0.3, 203.0.113.7"))).toBe("TOO_MANY_REQUESTS");
    expect(errorCode(await attempt("203.0.113.7"))).toBe("TOO_MANY_REQUESTS");
    // Another client behind the same proxy has its own budget.
    expect(errorCode(await attempt("203.0.113.7, 203.0.113.8"))).toBe("INVALID_CREDENTIALS");
  });
});
