import { z } from "zod";
import { AppError } from "../errors";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
/** RFC 5321 limit on a forward path. */
const EMAIL_MAX_LENGTH = 254;

export interface Credentials {
  /** Lower-cased and trimmed. */
  email: string;
  password: string;
}

const emailSchema = z
  .string()
  .trim()
  .max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`)
  .toLowerCase()
  .pipe(z.email("must be a valid email address"));

/** Characters, not UTF-16 units: an emoji is one character of a password. */
const passwordSchema = z.string().refine((password) => {
  const length = [...password].length;
  return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
}, `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);

const credentialsSchema = z.object({ email: emailSchema, password: passwordSchema });

/**
 * Validates and normalises credentials before any hashing; throws
 * BAD_USER_INPUT naming the first bad field.
 */
export function parseCredentials(input: { email: string; password: string }): Credentials {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw AppError.badInput(String(issue.path[0]), issue.message);
  }
  return parsed.data;
}

/** Validates and normalises an email alone (admin bootstrap, lookups). */
export function parseEmail(email: string): string {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw AppError.badInput("email", parsed.error.issues[0].message);
  return parsed.data;
}
