import { randomUUID } from "node:crypto";
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { AppError, AuthFailure } from "../errors";
import { securityEvent, type Logger } from "../logging/logger";
import type { RevocationStore } from "../revocation/revocation.store";
import type { TokenPair, TokenService } from "../tokens/token.service";
import type { Role } from "../users/role";
import { User } from "../users/user.entity";
import { Session } from "./session.entity";

/** Who a pair is signed for: a user entity, or the same fields read straight from a row. */
export interface Account {
  id: string;
  email: string;
  roles: readonly Role[];
  createdAt: Date;
}

export interface SignedIn {
  user: Account;
  session: { id: string };
  tokens: TokenPair;
}

/** What a pair is signed from: the session's token ids and issue time. */
type PairSource = Pick<Session, "id" | "accessJti" | "refreshJti" | "issuedAt">;

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
    const now = this.now();
    const session = em.create(Session, {
      user,
      refreshJti: randomUUID(),
      accessJti: randomUUID(),
      issuedAt: now,
      expiresAt: this.refreshExpiry(now),
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
    const rotated = await this.rotateCurrent(em, claims);
    if (rotated) return rotated;
    const outcome = await em.transactional(async (tx): Promise<RotationOutcome> => {
      const session = await tx.findOne(Session, { id: claims.sid }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!session || session.user.id !== claims.sub || session.revokedAt) return { kind: "revoked" };

      const now = this.now();
      if (claims.jti === session.refreshJti) {
        session.previousRefreshJti = session.refreshJti;
        session.refreshJti = randomUUID();
        session.accessJti = randomUUID();
        session.issuedAt = now;
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

  /**
   * The common case, a first exchange of the current refresh token, as one
   * statement: the row lock and the `refresh_jti` condition make a racing
   * exchange of the same token wait and then find nothing, so it falls back
   * to the locked path above and gets this pair as a grace repeat. Five
   * statements through the ORM cost several times more under load.
   */
  private async rotateCurrent(em: EntityManager, claims: { sid: string; sub: string; jti: string }): Promise<SignedIn | undefined> {
    const now = this.now();
    const issuedAt = now;
    const session = { id: claims.sid, refreshJti: randomUUID(), accessJti: randomUUID(), issuedAt };
    // to_json: the driver hands timestamps over as PostgreSQL text; JSON gives ISO 8601, which Date reads exactly.
    const rows: Array<{ id: string; email: string; roles: Role[]; created_at: string }> = await em.getConnection().execute(
      `update sessions as s
          set previous_refresh_jti = s.refresh_jti, refresh_jti = ?, access_jti = ?, issued_at = ?, expires_at = ?, updated_at = ?
         from users as u
        where s.id = ? and s.user_id = ? and s.refresh_jti = ? and s.revoked_at is null and u.id = s.user_id
        returning u.id, u.email, u.roles, to_json(u.created_at) as created_at`,
      [session.refreshJti, session.accessJti, issuedAt, this.refreshExpiry(issuedAt), now, claims.sid, claims.sub, claims.jti],
    );
    if (rows.length !== 1) return undefined;
    const [{ id, email, roles, created_at: createdAt }] = rows;
    const user = { id, email, roles, createdAt: new Date(createdAt) };
    return { user, session, tokens: this.pairFor(session, user) };
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

  private pairFor(session: PairSource, user: Account): TokenPair {
    return this.tokens.issuePair({
      userId: user.id,
      email: user.email,
      roles: user.roles,
      userCreatedAt: user.createdAt,
      sessionId: session.id,
      accessJti: session.accessJti,
      refreshJti: session.refreshJti,
      // JWT times are whole seconds; flooring the stored time re-signs a pair exactly.
      issuedAt: Math.floor(session.issuedAt.getTime() / 1000),
    });
  }

  private refreshExpiry(issuedAt: Date): Date {
    return new Date(issuedAt.getTime() + this.options.refreshTokenTtl * 1000);
  }
}
