import { OWASP_ARGON2_MINIMUM } from "../../src/config";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { login, registerUser, uniqueEmail } from "../helpers/operations";

const SAMPLES = 30;

let server: TestApp;

beforeAll(async () => {
  // Production-strength hashing: the difference a missing dummy hash would make must be visible.
  server = await createTestApp({
    env: {
      ARGON2_MEMORY_KIB: String(OWASP_ARGON2_MINIMUM.memoryKiB),
      ARGON2_TIME_COST: String(OWASP_ARGON2_MINIMUM.timeCost),
      LOGIN_ATTEMPTS_PER_EMAIL: "1000",
      AUTH_ATTEMPTS_PER_IP: "1000",
    },
  });
});

afterAll(async () => {
  await server.close();
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timedLogin(email: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await login(server.client, email, "not the password at all");
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  expect(errorCode(response)).toBe("INVALID_CREDENTIALS");
  return elapsedMs;
}

describe("login timing", () => {
  it(`cannot tell an unknown email from a wrong password: medians of ${SAMPLES} samples each within 25 %`, async () => {
    const registered = await registerUser(server.client);
    // Warm-up: the dummy hash, connection pools and JIT.
    for (let i = 0; i < 3; i++) {
      await timedLogin(registered.user.email);
      await timedLogin(uniqueEmail("warm-up"));
    }

    const wrongPassword: number[] = [];
    const unknownEmail: number[] = [];
    // Interleaved in a random order within each pair, so load from other work on the
    // machine, and whatever the previous request left behind, fall on both alike.
    for (let i = 0; i < SAMPLES; i++) {
      if (Math.random() < 0.5) {
        wrongPassword.push(await timedLogin(registered.user.email));
        unknownEmail.push(await timedLogin(uniqueEmail("nobody")));
      } else {
        unknownEmail.push(await timedLogin(uniqueEmail("nobody")));
        wrongPassword.push(await timedLogin(registered.user.email));
      }
    }

    const [known, unknown] = [median(wrongPassword), median(unknownEmail)];
    process.stdout.write(`login timing medians: wrong password ${known.toFixed(1)} ms, unknown email ${unknown.toFixed(1)} ms\n`);
    expect(Math.max(known, unknown) / Math.min(known, unknown)).toBeLessThanOrEqual(1.25);
  });
});
