import type { AuthChecker } from "type-graphql";
import type { Context } from "../context";
import { AppError, ErrorCode } from "../errors";
import type { Role } from "../users/role";

/**
 * Backs `@Authorized()` and `@Authorized("ADMIN")`. It throws the contract's
 * errors itself, because type-graphql's defaults use other codes.
 */
export const authChecker: AuthChecker<Context, Role> = async ({ context }, requiredRoles) => {
  const caller = await context.auth.requireCaller();
  if (requiredRoles.length > 0 && !requiredRoles.some((role) => caller.roles.includes(role))) {
    throw new AppError(ErrorCode.FORBIDDEN);
  }
  return true;
};
