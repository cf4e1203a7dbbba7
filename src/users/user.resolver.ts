import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Role } from "./role";
import { toUserType, UserType } from "./user.type";

@Resolver(() => UserType)
export class UserResolver {
  @Authorized()
  @Query(() => UserType, { description: "The caller. Needs a valid access token." })
  async me(@Ctx() { auth }: Context): Promise<UserType> {
    const caller = await auth.requireCaller();
    return toUserType({ id: caller.userId, email: caller.email, roles: caller.roles, createdAt: caller.userCreatedAt });
  }

  @Authorized(Role.ADMIN)
  @Query(() => [UserType], { description: "ADMIN only. Newest first." })
  async users(
    @Ctx() { em, services }: Context,
    @Arg("limit", () => Int, { defaultValue: 50, nullable: false }) limit: number,
    @Arg("offset", () => Int, { defaultValue: 0, nullable: false }) offset: number,
  ): Promise<UserType[]> {
    const users = await services.users.list(em, { limit, offset });
    return users.map(toUserType);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => UserType, {
    description: "ADMIN only. Replaces the user's roles; a removed role stops working at once, also for tokens already issued.",
  })
  async setUserRoles(
    @Ctx() { em, services, auth, ip }: Context,
    @Arg("userId", () => ID) userId: string,
    @Arg("roles", () => [Role]) roles: Role[],
  ): Promise<UserType> {
    const caller = await auth.requireCaller();
    return toUserType(await services.users.setRoles(em, userId, roles, { userId: caller.userId, ip }));
  }
}
