import { createHmac } from "node:crypto";

const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString("base64url");

/**
 * Builds a JWT from any header and payload, signed with HMAC-`hash` and
 * `secret` as an attacker who knows (or guesses) them would, without the
 * checks a JWT library would apply.
 */
export function forgeJwt(header: Record<string, unknown>, payload: unknown, secret: string, hash: "sha256" | "sha384" | "sha512" = "sha256"): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest("base64url")}`;
}

/** An unsigned token (`alg: none`), with an empty or a kept signature. */
export function unsignedJwt(header: Record<string, unknown>, payload: unknown, signature = ""): string {
  return `${encode(header)}.${encode(payload)}.${signature}`;
}
