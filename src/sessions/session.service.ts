import { randomUUID } from "node:crypto";
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { AppError, AuthFailure } from "../errors";
import { securityEvent, type Logger } from "../logging/logger";
import type { RevocationStore } from "../revocation/revocation.store";
import type { TokenPair, TokenService } from "../tokens/token.service";
import { User } from "../users/user.entity";
import { Session } from "./session.entity";

export interface SignedIn {
  user: User;
  session: Session;
  tokens: TokenPair;
}

export interface SessionServiceOptions {
  refreshTokenTtl: number;
  refreshReuseGrace: number;
}

type RotationOutcome = { kind: "issued"; signedIn: SignedIn } | { kind: "revoked" } | { kind: "reused"; session: Session };

/**
 * Sessions and their token pairs: start, rotate with reuse detection, end.
 * A session row remembers only token ids; a pair is re-signed from them,
 * which is what lets a repeated refresh get byte-identical tokens.
 */
export class SessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocation: RevocationStore,
    private readonly logger: Logger,
    private readonly options: SessionServiceOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens a session for a user whose credentials were just proven. Persisted on the next flush. */
  start(em: EntityManager, user: User): SignedIn {
    const session = em.create(Session, {
      user,
      refreshJti: randomUUID(),
      accessJti: randomUUID(),
      issuedAt: wholeSeconds(this.now()),
      expiresAt: this.refreshExpiry(wholeSeconds(this.now())),
    });
    return { user, session, tokens: this.pairFor(session, user) };
  }

  /**
   * Exchanges a refresh token for a new pair. The first exchange rotates;
   * repeats within the grace window get that same pair; a spent token after
   * the window ends the whole session.
   */
  async rotate(em: EntityManager, refreshToken: string, ip: string): Promise<SignedIn> {
    const claims = this.tokens.verifyRefresh(refreshToken);
    const outcome = await em.transactional(async (tx): Promise<RotationOutcome> => {
      const session = await tx.findOne(Session, { id: claims.sid }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!session || session.user.id !== claims.sub || session.revokedAt) return { kind: "revoked" };

      const now = this.now();
      if (claims.jti === session.refreshJti) {
        session.previousRefreshJti = session.refreshJti;
        session.refreshJti = randomUUID();
        session.accessJti = randomUUID();
        session.issuedAt = wholeSeconds(now);
        session.expiresAt = this.refreshExpiry(session.issuedAt);
      } else if (!this.isGraceRepeat(session, claims.jti, now)) {
        session.revokedAt = now;
        await this.revocation.revokeSession(session.id);
        return { kind: "reused", session };
      }
      const user = await tx.findOneOrFail(User, { id: claims.sub });
      return { kind: "issued", signedIn: { user, session, tokens: this.pairFor(session, user) } };
    });

    switch (outcome.kind) {
      case "issued":
        return outcome.signedIn;
      case "reused":
        securityEvent(this.logger, "refresh.reuse", { outcome: "refused", userId: claims.sub, sessionId: claims.sid, ip, reason: "spent refresh token presented; session ended" });
        throw AppError.unauthenticated(AuthFailure.TOKEN_REVOKED);
      case "revoked":
        throw AppError.unauthenticated(AuthFailure.TOKEN_REVOKED);
    }
  }

  /** Ends the caller's session: the access token used, every other access token of the session, and its refresh token. */
  async end(em: EntityManager, caller: { sessionId: string; tokenId: string; tokenExpiresAt: number }): Promise<void> {
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(Session, { id: caller.sessionId, revokedAt: null }, { revokedAt: this.now() });
      await this.revocation.revokeSessionAndToken(caller.sessionId, caller.tokenId, caller.tokenExpiresAt);
    });
  }

  private isGraceRepeat(session: Session, jti: string, now: Date): boolean {
    const sinceFirstExchange = (now.getTime() - session.issuedAt.getTime()) / 1000;
    return jti === session.previousRefreshJti && sinceFirstExchange <= this.options.refreshReuseGrace;
  }

  private pairFor(session: Session, user: User): TokenPair {
    return this.tokens.issuePair({
      userId: user.id,
      email: user.email,
      roles: user.roles,
      userCreatedAt: user.createdAt,
      sessionId: session.id,
      accessJti: session.accessJti,
      refreshJti: session.refreshJti,
      issuedAt: session.issuedAt.getTime() / 1000,
    });
  }

  private refreshExpiry(issuedAt: Date): Date {
    return new Date(issuedAt.getTime() + this.options.refreshTokenTtl * 1000);
  }
}

/** JWT times are whole seconds; keeping the row in whole seconds lets a pair be re-signed exactly. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
