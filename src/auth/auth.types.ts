import { Field, InputType, Int, ObjectType } from "type-graphql";
import type { SignedIn } from "../sessions/session.service";
import { toUserType, UserType } from "../users/user.type";

/** Email and password; both operations take the same shape under their own names. */
@InputType()
abstract class CredentialsInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class RegisterInput extends CredentialsInput {}

@InputType()
export class LoginInput extends CredentialsInput {}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: "Signed JWT to send as `Authorization: Bearer <accessToken>`." })
  accessToken!: string;

  @Field(() => String, { description: "Opaque to clients; exchanged once for a new pair by `refresh`." })
  refreshToken!: string;

  @Field(() => String, { description: "Always `Bearer`." })
  tokenType!: string;

  @Field(() => Int, { description: "Seconds until accessToken expires." })
  expiresIn!: number;

  @Field(() => UserType)
  user!: UserType;
}

export function toAuthPayload({ tokens, user }: SignedIn, nowSeconds = Math.floor(Date.now() / 1000)): AuthPayload {
  return Object.assign(new AuthPayload(), {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: "Bearer",
    expiresIn: Math.max(0, tokens.accessExpiresAt - nowSeconds),
    user: toUserType(user),
  });
}
