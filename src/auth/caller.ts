import type { Role } from "../users/role";

/** The signed-in user of a request, as its access token and the revocation store describe it. */
export interface Caller {
  userId: string;
  email: string;
  roles: readonly Role[];
  userCreatedAt: Date;
  sessionId: string;
  /** The access token's id and expiry, so logout can revoke exactly it. */
  tokenId: string;
  tokenExpiresAt: number;
}
