import { Args, ArgsType, Authorized, Ctx, Field, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Role } from "./role";
import { toUserType, UserType } from "./user.type";

@ArgsType()
class UsersPageArgs {
  @Field(() => Int, { defaultValue: 50, nullable: false })
  limit!: number;

  @Field(() => Int, { defaultValue: 0, nullable: false })
  offset!: number;
}

@ArgsType()
class SetUserRolesArgs {
  @Field(() => ID)
  userId!: string;

  @Field(() => [Role])
  roles!: Role[];
}

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
  async users(@Ctx() { em, services }: Context, @Args(() => UsersPageArgs) page: UsersPageArgs): Promise<UserType[]> {
    const users = await services.users.list(em, page);
    return users.map(toUserType);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => UserType, {
    description: "ADMIN only. Replaces the user's roles; a removed role stops working at once, also for tokens already issued.",
  })
  async setUserRoles(@Ctx() { em, services, auth, ip }: Context, @Args(() => SetUserRolesArgs) { userId, roles }: SetUserRolesArgs): Promise<UserType> {
    const caller = await auth.requireCaller();
    return toUserType(await services.users.setRoles(em, userId, roles, { userId: caller.userId, sessionId: caller.sessionId, ip }));
  }
}
