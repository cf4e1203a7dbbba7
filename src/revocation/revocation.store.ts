import type { Redis } from "ioredis";
import { isRole, type Role } from "../users/role";

/** Revoked jtis are grouped into one set per hour of expiry; each set expires with its last token. */
const BUCKET_SECONDS = 3600;
/** Covers clock skew between instances and Redis. */
const EXPIRY_SLACK_SECONDS = 60;

export interface AccessTokenState {
  revoked: boolean;
  /** The user's roles as of the last role change, when that change is recent enough to matter. */
  currentRoles?: Role[];
}

/**
 * What every instance must know at once about tokens it did not issue:
 * revoked access tokens, ended sessions and changed roles. Every entry
 * expires when the tokens it affects would have expired anyway.
 */
export class RevocationStore {
  constructor(
    private readonly redis: Redis,
    /** The longest an access token lives; bounds how long session and role entries must stay. */
    private readonly accessTokenTtl: number,
  ) {}

  /**
   * One round trip: is this token or its session revoked, and have the
   * user's roles changed since? The three commands are issued together and
   * the client's auto-pipelining sends them in one write, along with those
   * of every other request checked in the same turn of the event loop.
   */
  async accessTokenState(token: { jti: string; sid: string; sub: string; exp: number }): Promise<AccessTokenState> {
    const [jtiRevoked, sessionRevoked, roles] = await Promise.all([
      this.redis.sismember(jtiBucketKey(token.exp), token.jti),
      this.redis.exists(sessionKey(token.sid)),
      this.redis.get(rolesKey(token.sub)),
    ]);
    return { revoked: jtiRevoked === 1 || sessionRevoked === 1, currentRoles: parseRoles(roles) };
  }

  /** Blocks every access token a session has issued; its refresh token is refused by the session row. */
  async revokeSession(sessionId: string): Promise<void> {
    await this.redis.set(sessionKey(sessionId), "1", "EX", this.sessionEntrySeconds());
  }

  /** Logout: blocks the session and, in the jti set, the access token used, in one round trip. */
  async revokeSessionAndToken(sessionId: string, jti: string, exp: number): Promise<void> {
    const bucket = jtiBucketKey(exp);
    const results = await this.redis
      .multi()
      .set(sessionKey(sessionId), "1", "EX", this.sessionEntrySeconds())
      .sadd(bucket, jti)
      .expireat(bucket, jtiBucketExpiresAt(exp))
      .exec();
    throwFirstError(results);
  }

  /** Makes a role change reach access tokens issued before it. */
  async recordRoles(userId: string, roles: readonly Role[]): Promise<void> {
    await this.redis.set(rolesKey(userId), JSON.stringify(roles), "EX", this.sessionEntrySeconds());
  }

  /** Session and role entries matter only while an access token issued before them can still be alive. */
  private sessionEntrySeconds(): number {
    return this.accessTokenTtl + EXPIRY_SLACK_SECONDS;
  }
}

function throwFirstError(results: [Error | null, unknown][] | null): asserts results is [Error | null, unknown][] {
  if (!results) throw new Error("redis transaction was aborted");
  const failure = results.find(([error]) => error)?.[0];
  if (failure) throw failure;
}

/** The set holding revoked jtis of tokens expiring at `exp` (exported so the benchmark seeds the real structure). */
export function jtiBucketKey(exp: number): string {
  return `revoked:jti:${Math.floor(exp / BUCKET_SECONDS)}`;
}

/** When that set may go: after the last token it can hold has expired. */
export function jtiBucketExpiresAt(exp: number): number {
  return (Math.floor(exp / BUCKET_SECONDS) + 1) * BUCKET_SECONDS + EXPIRY_SLACK_SECONDS;
}

function sessionKey(sessionId: string): string {
  return `revoked:session:${sessionId}`;
}

function rolesKey(userId: string): string {
  return `roles:${userId}`;
}

function parseRoles(value: unknown): Role[] | undefined {
  if (typeof value !== "string") return undefined;
  const roles: unknown = JSON.parse(value);
  return Array.isArray(roles) ? roles.filter(isRole) : undefined;
}
