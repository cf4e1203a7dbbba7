import pino from "pino";

export type Logger = pino.Logger;

/** Paths that must never reach a log line, even if someone logs a whole object by mistake. */
const REDACTED_PATHS = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "variables",
  "*.variables",
];

/**
 * JSON lines on stdout. In production writes are asynchronous so that
 * logging never blocks the request path.
 */
export function createLogger(options: { level: string; production: boolean; destination?: pino.DestinationStream }): Logger {
  const destination = options.destination ?? pino.destination({ sync: !options.production, minLength: options.production ? 4096 : 0 });
  return pino(
    {
      level: options.level,
      base: { service: "graphql-auth-service" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A security event: one structured line per login, refresh reuse, logout or role change. */
export function securityEvent(
  logger: Logger,
  event: string,
  fields: { outcome: "success" | "failure" | "refused"; userId?: string; sessionId?: string; ip?: string; reason?: string; [key: string]: unknown },
): void {
  logger.info({ security: true, event, ...fields }, `security: ${event}`);
}
