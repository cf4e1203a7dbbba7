import { createHash, createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { AppError, AuthFailure } from "../errors";
import { isRole, type Role } from "../users/role";

const ALGORITHM = "HS256";
/** Far above any token we issue; refuses oversized input before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
const BASE64URL_SEGMENTS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Headers that ask a verifier to fetch or trust a key from the token itself (RFC 8725 §3.10). */
const KEY_HEADERS = ["jwk", "jku", "x5u", "x5c", "crit"] as const;

export type TokenType = "access" | "refresh";

interface CommonClaims {
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
}

export interface AccessClaims extends CommonClaims {
  typ: "access";
  roles: Role[];
  email: string;
  /** ISO time the user was created, so `me` needs no database round trip. */
  createdAt: string;
}

export interface RefreshClaims extends CommonClaims {
  typ: "refresh";
}

/** Everything a token pair is made from. The same input signs the same tokens. */
export interface PairInput {
  userId: string;
  email: string;
  roles: readonly Role[];
  userCreatedAt: Date;
  sessionId: string;
  accessJti: string;
  refreshJti: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

interface SigningKey {
  kid: string;
  key: KeyObject;
}

export interface TokenServiceOptions {
  secret: string;
  previousSecret?: string;
  issuer: string;
  audience: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
}

/**
 * Signs and verifies the service's JWTs: HS256 only, `iss`, `aud` and `exp`
 * required, access and refresh told apart by `typ`. Secrets are KeyObjects
 * because jsonwebtoken re-derives a key from a string on every call.
 */
export class TokenService {
  private readonly signing: SigningKey;
  private readonly verifying: ReadonlyMap<string, KeyObject>;

  constructor(private readonly options: TokenServiceOptions) {
    this.signing = toSigningKey(options.secret);
    const keys = [this.signing];
    if (options.previousSecret) keys.push(toSigningKey(options.previousSecret));
    this.verifying = new Map(keys.map(({ kid, key }) => [kid, key]));
  }

  issuePair(input: PairInput): TokenPair {
    const accessExpiresAt = input.issuedAt + this.options.accessTokenTtl;
    const refreshExpiresAt = input.issuedAt + this.options.refreshTokenTtl;
    const access: AccessClaims & { iss: string; aud: string } = {
      sub: input.userId,
      sid: input.sessionId,
      jti: input.accessJti,
      typ: "access",
      roles: [...input.roles],
      email: input.email,
      createdAt: input.userCreatedAt.toISOString(),
      iat: input.issuedAt,
      exp: accessExpiresAt,
      iss: this.options.issuer,
      aud: this.options.audience,
    };
    const refresh: RefreshClaims & { iss: string; aud: string } = {
      sub: input.userId,
      sid: input.sessionId,
      jti: input.refreshJti,
      typ: "refresh",
      iat: input.issuedAt,
      exp: refreshExpiresAt,
      iss: this.options.issuer,
      aud: this.options.audience,
    };
    return { accessToken: this.sign(access), refreshToken: this.sign(refresh), accessExpiresAt, refreshExpiresAt };
  }

  /** Verifies an access token or throws UNAUTHENTICATED with the reason. */
  verifyAccess(token: string): AccessClaims {
    const claims = this.verify(token, "access");
    const { roles, email, createdAt } = claims;
    if (!Array.isArray(roles) || !roles.every(isRole) || typeof email !== "string" || typeof createdAt !== "string") {
      throw AppError.unauthenticated(AuthFailure.TOKEN_INVALID);
    }
    return claims as unknown as AccessClaims;
  }

  /** Verifies a refresh token or throws UNAUTHENTICATED with the reason. */
  verifyRefresh(token: string): RefreshClaims {
    return this.verify(token, "refresh") as unknown as RefreshClaims;
  }

  private sign(payload: object): string {
    return jwt.sign(payload, this.signing.key, { algorithm: ALGORITHM, keyid: this.signing.kid });
  }

  private verify(token: string, expected: TokenType): Record<string, unknown> {
    const key = this.keyFor(token);
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
      });
    } catch (error) {
      throw AppError.unauthenticated(error instanceof jwt.TokenExpiredError ? AuthFailure.TOKEN_EXPIRED : AuthFailure.TOKEN_INVALID);
    }
    if (
      typeof payload !== "object" ||
      payload.typ !== expected ||
      typeof payload.exp !== "number" ||
      typeof payload.iat !== "number" ||
      typeof payload.sub !== "string" ||
      typeof payload.sid !== "string" ||
      typeof payload.jti !== "string"
    ) {
      throw AppError.unauthenticated(AuthFailure.TOKEN_INVALID);
    }
    return payload;
  }

  /** Checks the token's shape and header before any cryptography, and picks the key its `kid` names. */
  private keyFor(token: string): KeyObject {
    if (token.length > MAX_TOKEN_LENGTH || !BASE64URL_SEGMENTS.test(token)) {
      throw AppError.unauthenticated(AuthFailure.TOKEN_INVALID);
    }
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(token.slice(0, token.indexOf(".")), "base64url").toString("utf8"));
    } catch {
      throw AppError.unauthenticated(AuthFailure.TOKEN_INVALID);
    }
    const key = typeof header?.kid === "string" ? this.verifying.get(header.kid) : undefined;
    if (!key || header.alg !== ALGORITHM || KEY_HEADERS.some((name) => name in header)) {
      throw AppError.unauthenticated(AuthFailure.TOKEN_INVALID);
    }
    return key;
  }
}

/** The key id names the secret without revealing it, so rotation can pick the right one. */
function toSigningKey(secret: string): SigningKey {
  const kid = createHash("sha256").update("kid:").update(secret).digest("base64url").slice(0, 12);
  return { kid, key: createSecretKey(Buffer.from(secret, "utf8")) };
}
