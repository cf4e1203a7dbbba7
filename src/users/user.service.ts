import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { AppError } from "../errors";
import { securityEvent, type Logger } from "../logging/logger";
import type { PasswordHasher } from "../passwords/password.hasher";
import type { RevocationStore } from "../revocation/revocation.store";
import { Role } from "./role";
import { User } from "./user.entity";

export const USERS_PAGE_MAX = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Administration of accounts: listing, roles, and the bootstrap admin. */
export class UserService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly revocation: RevocationStore,
    private readonly logger: Logger,
  ) {}

  /** Newest first. */
  async list(em: EntityManager, page: { limit: number; offset: number }): Promise<User[]> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > USERS_PAGE_MAX) {
      throw AppError.badInput("limit", `must be between 1 and ${USERS_PAGE_MAX}`);
    }
    if (!Number.isInteger(page.offset) || page.offset < 0) throw AppError.badInput("offset", "must be 0 or more");
    return em.find(User, {}, { orderBy: { createdAt: "desc", id: "desc" }, limit: page.limit, offset: page.offset });
  }

  /**
   * Replaces a user's roles. The change is written to the revocation store in
   * the same transaction, so tokens already issued see it at once.
   */
  async setRoles(em: EntityManager, userId: string, roles: readonly Role[], actor: { userId: string; sessionId?: string; ip: string }): Promise<User> {
    if (!UUID.test(userId)) throw AppError.badInput("userId", "must be a user id");
    const distinctRoles = [...new Set(roles)].sort();
    const user = await em.transactional(async (tx) => {
      const found = await tx.findOne(User, { id: userId });
      if (!found) throw AppError.badInput("userId", "no user has this id");
      found.roles = distinctRoles;
      await tx.flush();
      await this.revocation.recordRoles(found.id, distinctRoles);
      return found;
    });
    // userId is the account changed; sessionId is the session the change was made through.
    securityEvent(this.logger, "roles.change", {
      outcome: "success",
      userId,
      sessionId: actor.sessionId,
      ip: actor.ip,
      actorId: actor.userId,
      roles: distinctRoles,
    });
    return user;
  }

  /**
   * Makes sure the bootstrap admin exists and holds ADMIN. The password is
   * set only when the account is created, so an operator's later change sticks.
   */
  async ensureAdmin(em: EntityManager, admin: { email: string; password: string }): Promise<User> {
    const existing = await em.findOne(User, { email: admin.email });
    if (existing) {
      if (!existing.roles.includes(Role.ADMIN)) {
        await this.setRoles(em, existing.id, [...existing.roles, Role.ADMIN], { userId: "bootstrap", ip: "local" });
      }
      return existing;
    }
    const user = new User(admin.email, await this.hasher.hash(admin.password), [Role.ADMIN, Role.USER]);
    try {
      await em.persist(user).flush();
    } catch (error) {
      // Another instance starting at the same moment created it first.
      if (error instanceof UniqueConstraintViolationException) return this.ensureAdmin(em.fork(), admin);
      throw error;
    }
    securityEvent(this.logger, "admin.bootstrap", { outcome: "success", userId: user.id });
    return user;
  }
}
