import fc from "fast-check";
import { AppError } from "../../src/errors";
import { TokenService, type PairInput } from "../../src/tokens/token.service";
import { Role } from "../../src/users/role";
import { forgeJwt, unsignedJwt } from "../helpers/forge";
import { decodeJwt } from "../helpers/jwt";

const SECRET = "current-secret-that-is-at-least-32-bytes-long";
const PREVIOUS_SECRET = "previous-secret-that-is-at-least-32-bytes-long";
const ISSUER = "graphql-auth-service";
const AUDIENCE = "graphql-auth-service";
const options = { issuer: ISSUER, audience: AUDIENCE, accessTokenTtl: 900, refreshTokenTtl: 3600 };
const verifier = new TokenService({ ...options, secret: SECRET, previousSecret: PREVIOUS_SECRET });

const now = Math.floor(Date.now() / 1000);
const pairInput: PairInput = {
  userId: "0b8f6c1e-6f0e-4d2a-9d8a-3f1c2b7e9a10",
  email: "someone@example.com",
  roles: [Role.USER],
  userCreatedAt: new Date("2026-01-01T00:00:00.000Z"),
  sessionId: "5d2c1b0a-1111-4222-8333-944455556666",
  accessJti: "a7e1c3d5-0000-4000-8000-000000000001",
  refreshJti: "a7e1c3d5-0000-4000-8000-000000000002",
  issuedAt: now,
};
const issued = verifier.issuePair(pairInput);
const currentKid = decodeJwt(issued.accessToken).header.kid as string;
const previousKid = decodeJwt(new TokenService({ ...options, secret: PREVIOUS_SECRET }).issuePair(pairInput).accessToken).header.kid as string;

/** Runs `verify` and describes how it ended, failing on anything but the contract's refusal. */
function outcome(verify: () => unknown): { accepted: true; claims: unknown } | { accepted: false; reason: string } {
  try {
    return { accepted: true, claims: verify() };
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe("UNAUTHENTICATED");
    expect(["TOKEN_INVALID", "TOKEN_EXPIRED"]).toContain(appError.extensions.reason);
    return { accepted: false, reason: appError.extensions.reason as string };
  }
}

/** A claim's value: either one that is right, or one of the ways it can be wrong. */
type Variant = { valid: boolean; value: unknown; expired?: boolean };
const MISSING = undefined;
const valid = (...values: unknown[]) => values.map((value): Variant => ({ valid: true, value }));
const invalid = (...values: unknown[]) => values.map((value): Variant => ({ valid: false, value }));
const claimVariants: Record<string, Variant[]> = {
  typ: [...valid("access"), ...invalid(MISSING, "refresh", "ACCESS", 1)],
  iss: [...valid(ISSUER), ...invalid(MISSING, "someone-else", [ISSUER], "")],
  aud: [...valid(AUDIENCE, [AUDIENCE], ["another-api", AUDIENCE]), ...invalid(MISSING, "another-api", [], 7)],
  exp: [...valid(now + 600), ...invalid(MISSING, "soon", null), { valid: false, value: now - 120, expired: true }],
  nbf: [...valid(MISSING, now - 60), ...invalid(now + 3600)],
  iat: [...valid(now), ...invalid(MISSING, "now")],
  sub: [...valid(pairInput.userId), ...invalid(MISSING, 42)],
  sid: [...valid(pairInput.sessionId), ...invalid(MISSING, ["a"])],
  jti: [...valid(pairInput.accessJti), ...invalid(MISSING, {})],
  roles: [...valid(["USER"], ["ADMIN", "USER"], []), ...invalid(MISSING, ["ROOT"], "ADMIN", [1])],
  email: [...valid(pairInput.email), ...invalid(MISSING, 5)],
  createdAt: [...valid(pairInput.userCreatedAt.toISOString()), ...invalid(MISSING, 0)],
};
type Signing = { valid: boolean; sign: (payload: unknown) => string };
const signings: Signing[] = [
  { valid: true, sign: (payload) => forgeJwt({ alg: "HS256", typ: "JWT", kid: currentKid }, payload, SECRET) },
  { valid: true, sign: (payload) => forgeJwt({ alg: "HS256", typ: "JWT", kid: previousKid }, payload, PREVIOUS_SECRET) },
  { valid: false, sign: (payload) => forgeJwt({ alg: "HS256", typ: "JWT", kid: currentKid }, payload, PREVIOUS_SECRET) },
  { valid: false, sign: (payload) => forgeJwt({ alg: "HS256", typ: "JWT" }, payload, SECRET) },
  { valid: false, sign: (payload) => forgeJwt({ alg: "HS512", typ: "JWT", kid: currentKid }, payload, SECRET, "sha512") },
  { valid: false, sign: (payload) => forgeJwt({ alg: "HS256", kid: currentKid, jku: "http://127.0.0.1:1/keys" }, payload, SECRET) },
  { valid: false, sign: (payload) => unsignedJwt({ alg: "none", kid: currentKid }, payload) },
];

/** Mostly right values, so that whole valid tokens come up often and single faults are isolated. */
function mostlyValid<T extends { valid: boolean }>(variants: T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...variants.filter((variant) => variant.valid)), weight: 8 },
    { arbitrary: fc.constantFrom(...variants.filter((variant) => !variant.valid)), weight: 1 },
  );
}
const claimSet = fc.record(Object.fromEntries(Object.entries(claimVariants).map(([name, variants]) => [name, mostlyValid(variants)])) as Record<string, fc.Arbitrary<Variant>>);

describe("token verifier (property-based)", () => {
  it("accepts a token exactly when its signature, header and every claim are right", () => {
    let accepted = 0;
    fc.assert(
      fc.property(claimSet, mostlyValid(signings), (chosen, signing) => {
        const payload = Object.fromEntries(Object.entries(chosen).filter(([, variant]) => variant.value !== MISSING).map(([name, variant]) => [name, variant.value]));
        const shouldAccept = signing.valid && Object.values(chosen).every((variant) => variant.valid);

        const result = outcome(() => verifier.verifyAccess(signing.sign(payload)));

        expect(result.accepted).toBe(shouldAccept);
        if (result.accepted) {
          accepted++;
          expect(result.claims).toEqual(payload);
        }
        if (!result.accepted && result.reason === "TOKEN_EXPIRED") expect(chosen.exp.expired).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Both outcomes must really have been exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(1900);
  });

  it("refuses every random string, as access and as refresh token, with the contract's error only", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), fc.base64String({ maxLength: 200 }), fc.string({ maxLength: 10_000 })), (token) => {
        expect(outcome(() => verifier.verifyAccess(token)).accepted).toBe(false);
        expect(outcome(() => verifier.verifyRefresh(token)).accepted).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses every one-character change, deletion or truncation of a real token", () => {
    const tokens = [issued.accessToken, issued.refreshToken];
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.nat(), fc.oneof(fc.constantFrom(..."ABCabc012-_.=+/ "), fc.constant("")), fc.boolean(), (which, at, replacement, truncate) => {
        const original = tokens[which];
        const position = at % original.length;
        const changed = truncate ? original.slice(0, position) : original.slice(0, position) + replacement + original.slice(position + 1);
        fc.pre(changed !== original);

        expect(outcome(() => verifier.verifyAccess(changed)).accepted).toBe(false);
        expect(outcome(() => verifier.verifyRefresh(changed)).accepted).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("still accepts the untouched tokens, each only as its own type", () => {
    expect(verifier.verifyAccess(issued.accessToken)).toMatchObject({ typ: "access", sub: pairInput.userId });
    expect(verifier.verifyRefresh(issued.refreshToken)).toMatchObject({ typ: "refresh", sub: pairInput.userId });
    expect(outcome(() => verifier.verifyAccess(issued.refreshToken)).accepted).toBe(false);
    expect(outcome(() => verifier.verifyRefresh(issued.accessToken)).accepted).toBe(false);
  });
});
