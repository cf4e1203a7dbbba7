import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError, ErrorCode, UnavailableError } from "../errors";

const WINDOW_SECONDS = 15 * 60;

/**
 * Attempt limits shared by every instance through Redis. A Redis failure
 * refuses the attempt (fail closed) instead of letting it through unchecked.
 */
export class AuthRateLimiter {
  private readonly perEmail: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(redis: Redis, limits: { loginAttemptsPerEmail: number; authAttemptsPerIp: number }) {
    this.perEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: "ratelimit:login-email",
      points: limits.loginAttemptsPerEmail,
      duration: WINDOW_SECONDS,
    });
    this.perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: "ratelimit:auth-ip",
      points: limits.authAttemptsPerIp,
      duration: WINDOW_SECONDS,
    });
  }

  /** Counts one register, login or refresh call from this IP. */
  async consumeIpAttempt(ip: string): Promise<void> {
    await consume(this.perIp, ip);
  }

  /**
   * Counts a login attempt for this email before the password is checked, so
   * parallel guesses cannot overrun the limit; `forgiveLoginAttempt` gives it
   * back when the login succeeds, so only failures count.
   */
  async consumeLoginAttempt(email: string): Promise<void> {
    await consume(this.perEmail, emailKey(email));
  }

  async forgiveLoginAttempt(email: string): Promise<void> {
    try {
      await this.perEmail.reward(emailKey(email), 1);
    } catch (error) {
      throw new UnavailableError("redis", { cause: error });
    }
  }
}

async function consume(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError(ErrorCode.TOO_MANY_REQUESTS, `Too many attempts; retry in ${retryAfter} seconds`, { retryAfter });
    }
    throw new UnavailableError("redis", { cause: rejection });
  }
}

/** Emails are normalised and hashed: case variants count as one, and Redis holds no addresses. */
function emailKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}
