import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { AppError, ErrorCode } from "../errors";
import { securityEvent, type Logger } from "../logging/logger";
import type { PasswordHasher } from "../passwords/password.hasher";
import type { AuthRateLimiter } from "../rate-limit/rate-limiter";
import type { SessionService, SignedIn } from "../sessions/session.service";
import { User } from "../users/user.entity";
import type { Caller } from "./caller";
import { parseCredentials } from "./credentials";

/** register, login, refresh and logout: the public ways in and out. */
export class AuthService {
  constructor(
    private readonly sessions: SessionService,
    private readonly hasher: PasswordHasher,
    private readonly rateLimiter: AuthRateLimiter,
    private readonly logger: Logger,
  ) {}

  async register(em: EntityManager, input: { email: string; password: string }, ip: string): Promise<SignedIn> {
    // Every call counts against the IP, valid or not: probing input costs attempts too.
    await this.rateLimiter.consumeIpAttempt(ip);
    const { email, password } = parseCredentials(input);
    // Cheap check first so a taken email costs no hash; the unique index settles races.
    if (await em.count(User, { email })) throw new AppError(ErrorCode.EMAIL_TAKEN);

    const passwordHash = await this.hasher.hash(password);
    try {
      const user = new User(email, passwordHash);
      em.persist(user);
      const signedIn = this.sessions.start(em, user);
      await em.flush(); // one transaction: the user and its first session, or neither
      securityEvent(this.logger, "register", { outcome: "success", userId: signedIn.user.id, sessionId: signedIn.session.id, ip });
      return signedIn;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new AppError(ErrorCode.EMAIL_TAKEN);
      throw error;
    }
  }

  async login(em: EntityManager, input: { email: string; password: string }, ip: string): Promise<SignedIn> {
    await this.loggingRefusal(ip, this.rateLimiter.consumeIpAttempt(ip));
    const { email, password } = parseCredentials(input);
    await this.loggingRefusal(ip, this.rateLimiter.consumeLoginAttempt(email));

    const user = await em.findOne(User, { email }, { populate: ["passwordHash"] });
    // Unknown emails verify against a dummy hash: same work, same answer, same time.
    const valid = await this.hasher.verifyOrDummy(user?.passwordHash, password);
    if (!user || !valid) {
      securityEvent(this.logger, "login", { outcome: "failure", userId: user?.id, ip, reason: user ? "wrong password" : "unknown email" });
      throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    }

    await this.rateLimiter.forgiveLoginAttempt(email);
    // Raised parameters reach existing accounts as their owners sign in.
    if (this.hasher.needsRehash(user.passwordHash)) user.passwordHash = await this.hasher.hash(password);
    const signedIn = this.sessions.start(em, user);
    await em.flush();
    securityEvent(this.logger, "login", { outcome: "success", userId: user.id, sessionId: signedIn.session.id, ip });
    return signedIn;
  }

  /** A login refused by a rate limit is a security event too. */
  private async loggingRefusal(ip: string, attempt: Promise<void>): Promise<void> {
    try {
      await attempt;
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.TOO_MANY_REQUESTS) {
        securityEvent(this.logger, "login", { outcome: "refused", ip, reason: "rate limited" });
      }
      throw error;
    }
  }

  async refresh(em: EntityManager, refreshToken: string, ip: string): Promise<SignedIn> {
    await this.rateLimiter.consumeIpAttempt(ip);
    return this.sessions.rotate(em, refreshToken, ip);
  }

  async logout(em: EntityManager, caller: Caller, ip: string): Promise<void> {
    await this.sessions.end(em, caller);
    securityEvent(this.logger, "logout", { outcome: "success", userId: caller.userId, sessionId: caller.sessionId, ip });
  }
}
