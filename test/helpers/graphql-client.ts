export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; reason?: string; retryAfter?: number; [key: string]: unknown };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: GraphQLError[];
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  token?: string;
  headers?: Record<string, string>;
}

/** A plain GraphQL-over-HTTP client on fetch: what a black-box client would send. */
export class GraphQLClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(query: string, options: RequestOptions = {}): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables: options.variables }),
    });
    const body = (await response.json()) as { data?: T | null; errors?: GraphQLError[] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  }
}

/** The first error's code, for terse assertions. */
export function errorCode(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}
