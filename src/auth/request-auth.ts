import { AppError, AuthFailure, UnavailableError } from "../errors";
import type { AccessTokenState, RevocationStore } from "../revocation/revocation.store";
import type { TokenService } from "../tokens/token.service";
import type { Caller } from "./caller";

/** `Bearer` and one token of base64url/JWT characters (RFC 6750 §2.1; the scheme is case-insensitive). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The caller of one request, worked out from its Authorization header the
 * first time a guarded field asks, then remembered for the rest of the request.
 */
export class RequestAuth {
  private caller?: Promise<Caller>;

  constructor(
    private readonly authorization: string | undefined,
    private readonly tokens: TokenService,
    private readonly revocation: RevocationStore,
  ) {}

  /** The signed-in caller, or UNAUTHENTICATED with the reason. */
  requireCaller(): Promise<Caller> {
    this.caller ??= this.authenticate();
    return this.caller;
  }

  private async authenticate(): Promise<Caller> {
    const token = bearerToken(this.authorization);
    const claims = this.tokens.verifyAccess(token);
    let state: AccessTokenState;
    try {
      state = await this.revocation.accessTokenState(claims);
    } catch (error) {
      // Never serve a request whose revocation check could not run.
      throw new UnavailableError("redis", { cause: error });
    }
    if (state.revoked) throw AppError.unauthenticated(AuthFailure.TOKEN_REVOKED);
    return {
      userId: claims.sub,
      email: claims.email,
      roles: state.currentRoles ?? claims.roles,
      userCreatedAt: new Date(claims.createdAt),
      sessionId: claims.sid,
      tokenId: claims.jti,
      tokenExpiresAt: claims.exp,
    };
  }
}

function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === "") throw AppError.unauthenticated(AuthFailure.TOKEN_MISSING);
  const match = BEARER.exec(header);
  if (!match) throw AppError.unauthenticated(AuthFailure.MALFORMED_AUTH_HEADER);
  return match[1];
}
