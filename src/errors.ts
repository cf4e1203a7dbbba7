import { unwrapResolverError } from "@apollo/server/errors";
import { DriverException } from "@mikro-orm/core";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "./logging/logger";

/** The error codes of the public contract (`extensions.code`). */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  EMAIL_TAKEN: "EMAIL_TAKEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why a request is UNAUTHENTICATED (`extensions.reason`). */
export const AuthFailure = {
  TOKEN_MISSING: "TOKEN_MISSING",
  MALFORMED_AUTH_HEADER: "MALFORMED_AUTH_HEADER",
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
  TOKEN_INVALID: "TOKEN_INVALID",
  TOKEN_REVOKED: "TOKEN_REVOKED",
} as const;
export type AuthFailure = (typeof AuthFailure)[keyof typeof AuthFailure];

const defaultMessages: Record<ErrorCode, string> = {
  UNAUTHENTICATED: "Authentication required",
  FORBIDDEN: "You do not have the role this operation needs",
  INVALID_CREDENTIALS: "Invalid email or password",
  EMAIL_TAKEN: "An account with this email already exists",
  BAD_USER_INPUT: "Invalid input",
  TOO_MANY_REQUESTS: "Too many attempts; try again later",
  SERVICE_UNAVAILABLE: "Service temporarily unavailable; try again shortly",
  INTERNAL_SERVER_ERROR: "Internal server error",
};

const authFailureMessages: Record<AuthFailure, string> = {
  TOKEN_MISSING: "Authentication required: send Authorization: Bearer <accessToken>",
  MALFORMED_AUTH_HEADER: "Malformed Authorization header: expected 'Bearer <token>'",
  TOKEN_EXPIRED: "Token expired",
  TOKEN_INVALID: "Invalid token",
  TOKEN_REVOKED: "Token revoked",
};

/** An expected failure, thrown by services; its code and extensions reach the client as they are. */
export class AppError extends Error {
  override name = "AppError";

  constructor(
    readonly code: ErrorCode,
    message: string = defaultMessages[code],
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  static unauthenticated(reason: AuthFailure): AppError {
    return new AppError(ErrorCode.UNAUTHENTICATED, authFailureMessages[reason], { reason });
  }

  static badInput(field: string, problem: string): AppError {
    return new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${problem}`, { field });
  }
}

/**
 * A PostgreSQL or Redis failure to reach the server. Callers cannot tell it
 * from a bug by its class alone, so wrap it where it is caught in
 * infrastructure code or recognise it here.
 */
export class UnavailableError extends Error {
  override name = "UnavailableError";
  constructor(
    readonly dependency: "postgresql" | "redis",
    options?: { cause?: unknown },
  ) {
    super(`${dependency} unavailable`, options);
  }
}

const connectionErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

/** True for errors that mean PostgreSQL or Redis cannot be reached right now. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && connectionErrorCodes.has(code)) return true;
  if (error instanceof DriverException && isUnavailable(error.cause)) return true;
  // ioredis: no connection and no offline queue, a command timeout, or retries exhausted.
  if (/Stream isn't writeable|Connection is closed|Command timed out|MaxRetriesPerRequest|Reached the max retries/.test(error.message)) {
    return true;
  }
  // knex / pg: no connection from the pool in time, no answer to the connection
  // attempt ("timeout expired") or to a query, or the connection dropped or was closed.
  if (/Knex: Timeout acquiring a connection|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|^timeout expired$|Query read timeout|is not queryable/.test(error.message)) {
    return true;
  }
  // knex hands out a transaction whose BEGIN failed (the connection broke or
  // timed out) as if it had started; its first query then fails with this.
  // Request code never reuses a finished transaction, so here it means the
  // connection was lost.
  if (/Transaction query already complete/.test(error.message)) return true;
  return error.cause !== undefined && error.cause !== error && isUnavailable(error.cause);
}

/** Apollo's codes for a request refused before any resolver ran. */
const requestRefusalCodes = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/**
 * The one place errors become what clients see. Expected errors keep their
 * code; outages become SERVICE_UNAVAILABLE; anything else is logged with its
 * cause and answered as INTERNAL_SERVER_ERROR without detail in production.
 */
export function createErrorFormatter(options: { production: boolean; logger: Logger }) {
  return (formatted: GraphQLFormattedError, thrown: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(thrown);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    if (original instanceof AppError) {
      return { ...base, message: original.message, extensions: { ...original.extensions, code: original.code } };
    }
    const code = formatted.extensions?.code;
    // Refused before execution (parse, validation, abuse limits, variables, CSRF, batching):
    // the client sent something unusable, which the contract calls BAD_USER_INPUT.
    if (thrown instanceof GraphQLError && formatted.path === undefined && typeof code === "string" && requestRefusalCodes.has(code)) {
      return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    if (isUnavailable(original)) {
      options.logger.warn({ err: original }, "dependency unavailable");
      return { ...base, message: defaultMessages.SERVICE_UNAVAILABLE, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }

    // A GraphQLError made on purpose with one of the contract's codes keeps it.
    if (original instanceof GraphQLError && original.originalError === undefined && isContractCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return { ...base, extensions: { ...publicExtensions(formatted.extensions), code } };
    }

    options.logger.error({ err: original, path: formatted.path }, "unexpected error");
    return {
      ...base,
      message: options.production ? defaultMessages.INTERNAL_SERVER_ERROR : formatted.message,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

function isContractCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ErrorCode, code);
}

function publicExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extensions) return {};
  const { stacktrace: _stacktrace, exception: _exception, ...rest } = extensions;
  return rest;
}
