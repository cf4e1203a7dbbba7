import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "./role";

@ObjectType("User")
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => [Role])
  roles!: Role[];

  @Field(() => Date)
  createdAt!: Date;
}

/** The public view of a user, from an entity or from a caller's token. */
export function toUserType(user: { id: string; email: string; roles: readonly Role[]; createdAt: Date }): UserType {
  return Object.assign(new UserType(), { id: user.id, email: user.email, roles: [...user.roles], createdAt: user.createdAt });
}
