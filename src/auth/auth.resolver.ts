import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context";
import { AuthPayload, LoginInput, RegisterInput, toAuthPayload } from "./auth.types";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Creates a USER account and signs it in." })
  async register(@Ctx() { em, services, ip }: Context, @Arg("input", () => RegisterInput) input: RegisterInput): Promise<AuthPayload> {
    return toAuthPayload(await services.auth.register(em, input, ip));
  }

  @Mutation(() => AuthPayload)
  async login(@Ctx() { em, services, ip }: Context, @Arg("input", () => LoginInput) input: LoginInput): Promise<AuthPayload> {
    return toAuthPayload(await services.auth.login(em, input, ip));
  }

  @Mutation(() => AuthPayload, { description: "Rotates the session: the refresh token given is spent, a new pair is returned." })
  async refresh(@Ctx() { em, services, ip }: Context, @Arg("refreshToken", () => String) refreshToken: string): Promise<AuthPayload> {
    return toAuthPayload(await services.auth.refresh(em, refreshToken, ip));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Needs a valid access token. Ends the caller's session: that access token and the session's refresh token stop working at once.",
  })
  async logout(@Ctx() { em, services, auth, ip }: Context): Promise<boolean> {
    await services.auth.logout(em, await auth.requireCaller(), ip);
    return true;
  }
}
