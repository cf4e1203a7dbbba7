import "reflect-metadata";
import { printSchema, type GraphQLSchema } from "graphql";
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

/** The schema as committed in schema/schema.graphql. */
export async function printAppSchema(): Promise<string> {
  const header = "# Generated from the type-graphql classes by `npm run schema`. Do not edit.\n\n";
  return `${header}${printSchema(await buildAppSchema())}\n`;
}
