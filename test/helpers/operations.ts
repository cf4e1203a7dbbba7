import { randomBytes } from "node:crypto";
import type { GraphQLClient, GraphQLResponse } from "./graphql-client";

export const AUTH_FIELDS = "accessToken refreshToken tokenType expiresIn user { id email roles createdAt }";

export const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
export const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
export const REFRESH = `mutation Refresh($refreshToken: String!) { refresh(refreshToken: $refreshToken) { ${AUTH_FIELDS} } }`;
export const LOGOUT = `mutation Logout { logout }`;
export const ME = `query Me { me { id email roles createdAt } }`;
export const USERS = `query Users($limit: Int! = 50, $offset: Int! = 0) { users(limit: $limit, offset: $offset) { id email roles createdAt } }`;
export const SET_USER_ROLES = `mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id email roles createdAt } }`;

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; email: string; roles: string[]; createdAt: string };
}

export const TEST_PASSWORD = "correct horse battery staple";

/** An email no other test uses. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.com`;
}

/** Registers a fresh user through the public API and returns its tokens. */
export async function registerUser(client: GraphQLClient, email = uniqueEmail(), password = TEST_PASSWORD): Promise<AuthPayload & { password: string }> {
  const response = await client.request<{ register: AuthPayload }>(REGISTER, { variables: { input: { email, password } } });
  if (!response.data?.register) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  return { ...response.data.register, password };
}

export async function login(client: GraphQLClient, email: string, password = TEST_PASSWORD): Promise<GraphQLResponse<{ login: AuthPayload }>> {
  return client.request<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password } } });
}

export async function refresh(client: GraphQLClient, refreshToken: string): Promise<GraphQLResponse<{ refresh: AuthPayload }>> {
  return client.request<{ refresh: AuthPayload }>(REFRESH, { variables: { refreshToken } });
}

export async function me(client: GraphQLClient, token?: string): Promise<GraphQLResponse<{ me: AuthPayload["user"] }>> {
  return client.request<{ me: AuthPayload["user"] }>(ME, { token });
}
