/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation Logout {\n  logout\n}": typeof types.LogoutDocument,
    "query Me {\n  me {\n    id\n    email\n    roles\n    createdAt\n  }\n}": typeof types.MeDocument,
    "mutation Refresh($refreshToken: String!) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}": typeof types.RefreshDocument,
    "mutation Register($input: RegisterInput!) {\n  register(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}": typeof types.RegisterDocument,
    "mutation SetUserRoles($userId: ID!, $roles: [Role!]!) {\n  setUserRoles(userId: $userId, roles: $roles) {\n    id\n    email\n    roles\n    createdAt\n  }\n}": typeof types.SetUserRolesDocument,
    "query Users($limit: Int! = 50, $offset: Int! = 0) {\n  users(limit: $limit, offset: $offset) {\n    id\n    email\n    roles\n    createdAt\n  }\n}": typeof types.UsersDocument,
};
const documents: Documents = {
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}": types.LoginDocument,
    "mutation Logout {\n  logout\n}": types.LogoutDocument,
    "query Me {\n  me {\n    id\n    email\n    roles\n    createdAt\n  }\n}": types.MeDocument,
    "mutation Refresh($refreshToken: String!) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}": types.RefreshDocument,
    "mutation Register($input: RegisterInput!) {\n  register(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}": types.RegisterDocument,
    "mutation SetUserRoles($userId: ID!, $roles: [Role!]!) {\n  setUserRoles(userId: $userId, roles: $roles) {\n    id\n    email\n    roles\n    createdAt\n  }\n}": types.SetUserRolesDocument,
    "query Users($limit: Int! = 50, $offset: Int! = 0) {\n  users(limit: $limit, offset: $offset) {\n    id\n    email\n    roles\n    createdAt\n  }\n}": types.UsersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}"): (typeof documents)["mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout {\n  logout\n}"): (typeof documents)["mutation Logout {\n  logout\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    email\n    roles\n    createdAt\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    email\n    roles\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Refresh($refreshToken: String!) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}"): (typeof documents)["mutation Refresh($refreshToken: String!) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Register($input: RegisterInput!) {\n  register(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}"): (typeof documents)["mutation Register($input: RegisterInput!) {\n  register(input: $input) {\n    accessToken\n    refreshToken\n    tokenType\n    expiresIn\n    user {\n      id\n      email\n      roles\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetUserRoles($userId: ID!, $roles: [Role!]!) {\n  setUserRoles(userId: $userId, roles: $roles) {\n    id\n    email\n    roles\n    createdAt\n  }\n}"): (typeof documents)["mutation SetUserRoles($userId: ID!, $roles: [Role!]!) {\n  setUserRoles(userId: $userId, roles: $roles) {\n    id\n    email\n    roles\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Users($limit: Int! = 50, $offset: Int! = 0) {\n  users(limit: $limit, offset: $offset) {\n    id\n    email\n    roles\n    createdAt\n  }\n}"): (typeof documents)["query Users($limit: Int! = 50, $offset: Int! = 0) {\n  users(limit: $limit, offset: $offset) {\n    id\n    email\n    roles\n    createdAt\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;