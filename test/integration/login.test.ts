import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { login, me, registerUser, uniqueEmail } from "../helpers/operations";

let server: TestApp;

beforeAll(async () => {
  server = await createTestApp();
});

afterAll(async () => {
  await server.close();
});

async function sessionCount(userId: string): Promise<number> {
  const [{ count }] = await server.orm.em.getConnection().execute("select count(*)::int as count from sessions where user_id = ?", [userId]);
  return count;
}

describe("login", () => {
  it("signs in with the right password, in any email case, and opens a new session each time", async () => {
    const registered = await registerUser(server.client);
    expect(await sessionCount(registered.user.id)).toBe(1);

    const response = await login(server.client, registered.user.email.toUpperCase(), registered.password);

    expect(response.errors).toBeUndefined();
    const payload = response.data!.login;
    expect(payload.user).toEqual(registered.user);
    expect(payload.tokenType).toBe("Bearer");
    expect(payload.accessToken).not.toBe(registered.accessToken);
    expect(await sessionCount(registered.user.id)).toBe(2);
    expect((await me(server.client, payload.accessToken)).data?.me.id).toBe(registered.user.id);
  });

  it("answers INVALID_CREDENTIALS with the same message for an unknown email and a wrong password", async () => {
    const registered = await registerUser(server.client);

    const wrongPassword = await login(server.client, registered.user.email, "not the password");
    const unknownEmail = await login(server.client, uniqueEmail("nobody"), "not the password");

    expect(wrongPassword.data).toBeNull();
    expect(unknownEmail.data).toBeNull();
    expect(errorCode(wrongPassword)).toBe("INVALID_CREDENTIALS");
    expect(wrongPassword.errors).toEqual(unknownEmail.errors);
    expect(await sessionCount(registered.user.id)).toBe(1);
  });

  it("validates input before looking anything up", async () => {
    const response = await login(server.client, "not-an-email", "whatever-password");
    expect(errorCode(response)).toBe("BAD_USER_INPUT");
    expect(response.errors![0].message).toMatch(/^email: /);
  });
});

describe("login after the argon2 parameters were raised", () => {
  it("rehashes the password with the new parameters, and the password still works", async () => {
    const registered = await registerUser(server.client);
    const stronger = await createTestApp({ sharing: server, env: { ARGON2_MEMORY_KIB: "2048", ARGON2_TIME_COST: "2" } });
    try {
      const hashOf = async () =>
        (await server.orm.em.getConnection().execute("select password_hash from users where id = ?", [registered.user.id]))[0].password_hash as string;
      expect(await hashOf()).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);

      expect((await login(stronger.client, registered.user.email, registered.password)).errors).toBeUndefined();

      expect(await hashOf()).toMatch(/^\$argon2id\$v=19\$m=2048,p=1,t=2\$/);
      expect((await login(stronger.client, registered.user.email, registered.password)).errors).toBeUndefined();
      expect((await login(stronger.client, registered.user.email, "wrong password!")).errors?.[0].extensions?.code).toBe("INVALID_CREDENTIALS");
    } finally {
      await stronger.close();
    }
  });
});
