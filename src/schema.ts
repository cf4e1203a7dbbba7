import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "./auth/auth-checker";
import { AuthResolver } from "./auth/auth.resolver";
import { UserResolver } from "./users/user.resolver";

/** The GraphQL schema, built from the type-graphql classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AuthResolver, UserResolver],
    authChecker,
    // Inputs are validated by the services (zod), where the rules live.
    validate: false,
  });
}
