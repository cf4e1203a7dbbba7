import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { me, REGISTER, registerUser, TEST_PASSWORD, uniqueEmail, type AuthPayload } from "../helpers/operations";

let server: TestApp;

beforeAll(async () => {
  server = await createTestApp();
});

afterAll(async () => {
  await server.close();
});

function register(email: string, password = TEST_PASSWORD) {
  return server.client.request<{ register: AuthPayload }>(REGISTER, { variables: { input: { email, password } } });
}

describe("register", () => {
  it("creates a USER account, stores the email lower-cased and signs it in", async () => {
    const email = uniqueEmail("Mixed.Case").replace("example", "EXAMPLE");
    const response = await register(`  ${email}  `);

    expect(response.errors).toBeUndefined();
    const payload = response.data!.register;
    expect(payload.tokenType).toBe("Bearer");
    expect(payload.expiresIn).toBe(900);
    expect(payload.user).toEqual({ id: expect.any(String), email: email.toLowerCase(), roles: ["USER"], createdAt: expect.any(String) });
    expect(new Date(payload.user.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const [row] = await server.orm.em.getConnection().execute("select email, roles, password_hash from users where id = ?", [payload.user.id]);
    expect(row.email).toBe(email.toLowerCase());
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);

    const caller = await me(server.client, payload.accessToken);
    expect(caller.data?.me).toEqual(payload.user);
  });

  it("answers EMAIL_TAKEN for an existing email in any case", async () => {
    const email = uniqueEmail();
    await registerUser(server.client, email);

    const again = await register(email.toUpperCase());
    expect(again.data).toBeNull();
    expect(errorCode(again)).toBe("EMAIL_TAKEN");
  });

  it("lets exactly one of ten concurrent registrations of one email win; the others get EMAIL_TAKEN", async () => {
    const email = uniqueEmail("race");
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => register(i % 2 ? email : email.toUpperCase())));

    const codes = responses.map((response) => errorCode(response) ?? "OK").sort();
    expect(codes).toEqual(["EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "EMAIL_TAKEN", "OK"]);
    const [{ count }] = await server.orm.em.getConnection().execute("select count(*)::int as count from users where email = ?", [email]);
    expect(count).toBe(1);
  });

  it.each([
    ["an email without @", "not-an-email", TEST_PASSWORD, "email"],
    ["an email without domain", "a@", TEST_PASSWORD, "email"],
    ["an empty email", "", TEST_PASSWORD, "email"],
    ["an email over 254 characters", `${"a".repeat(250)}@example.com`, TEST_PASSWORD, "email"],
    ["a 7-character password", undefined, "short77", "password"],
    ["a 257-character password", undefined, "x".repeat(257), "password"],
    ["an empty password", undefined, "", "password"],
  ])("refuses %s with BAD_USER_INPUT naming the field", async (_case, email, password, field) => {
    const response = await register(email ?? uniqueEmail(), password);

    expect(response.data).toBeNull();
    expect(errorCode(response)).toBe("BAD_USER_INPUT");
    expect(response.errors![0].message).toMatch(new RegExp(`^${field}: `));
    expect(response.errors![0].extensions?.field).toBe(field);
  });

  it("accepts passwords of exactly 8 and exactly 256 characters, counting characters rather than bytes", async () => {
    for (const password of ["12345678", "p".repeat(256), "🔑".repeat(8)]) {
      const response = await register(uniqueEmail(), password);
      expect(response.errors).toBeUndefined();
    }
  });

  it("writes nothing when registration fails", async () => {
    const before = await server.orm.em.getConnection().execute("select (select count(*) from users)::int as users, (select count(*) from sessions)::int as sessions");
    await register("bad-email", TEST_PASSWORD);
    await register(uniqueEmail(), "short");
    const after = await server.orm.em.getConnection().execute("select (select count(*) from users)::int as users, (select count(*) from sessions)::int as sessions");
    expect(after).toEqual(before);
  });
});
