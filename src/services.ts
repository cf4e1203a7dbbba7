import type { Redis } from "ioredis";
import { AuthService } from "./auth/auth.service";
import type { Config } from "./config";
import type { Logger } from "./logging/logger";
import { PasswordHasher } from "./passwords/password.hasher";
import { AuthRateLimiter } from "./rate-limit/rate-limiter";
import { RevocationStore } from "./revocation/revocation.store";
import { SessionService } from "./sessions/session.service";
import { TokenService } from "./tokens/token.service";
import { UserService } from "./users/user.service";

/** The service layer, wired once per process. */
export interface Services {
  tokens: TokenService;
  revocation: RevocationStore;
  hasher: PasswordHasher;
  sessions: SessionService;
  auth: AuthService;
  users: UserService;
}

export function createServices(config: Config, redis: Redis, logger: Logger): Services {
  const tokens = new TokenService({
    secret: config.jwt.secret,
    previousSecret: config.jwt.previousSecret,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    accessTokenTtl: config.accessTokenTtl,
    refreshTokenTtl: config.refreshTokenTtl,
  });
  const revocation = new RevocationStore(redis, config.accessTokenTtl);
  const hasher = new PasswordHasher(config.password);
  const sessions = new SessionService(tokens, revocation, logger, {
    refreshTokenTtl: config.refreshTokenTtl,
    refreshReuseGrace: config.refreshReuseGrace,
  });
  const rateLimiter = new AuthRateLimiter(redis, config);
  return {
    tokens,
    revocation,
    hasher,
    sessions,
    auth: new AuthService(sessions, hasher, rateLimiter, logger),
    users: new UserService(hasher, revocation, logger),
  };
}
