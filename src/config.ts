import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { z } from "zod";

/**
 * OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 passes, 1 lane.
 * Below it is allowed only with NODE_ENV=test, so tests can hash cheaply.
 */
export const OWASP_ARGON2_MINIMUM = { memoryKiB: 19456, timeCost: 2, parallelism: 1 } as const;

const MIN_SECRET_BYTES = 32;
const ISSUER = "graphql-auth-service";

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const secret = z
  .string()
  .refine((value) => Buffer.byteLength(value, "utf8") >= MIN_SECRET_BYTES, `must be at least ${MIN_SECRET_BYTES} bytes`);

const emailAddress = z.string().trim().toLowerCase().pipe(z.email("must be an email address"));

const environmentSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  PORT: integer(0, 65535).default(4000),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" })
    .default("postgresql://postgres@127.0.0.1:5432/auth"),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// URL" }).default("redis://127.0.0.1:6379/0"),
  REDIS_KEY_PREFIX: z.string().default("auth:"),
  JWT_SECRET: secret.optional(),
  JWT_SECRET_PREVIOUS: secret.optional(),
  JWT_ISSUER: z.string().min(1).default(ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(ISSUER),
  PASSWORD_PEPPER: z.string().min(16, "must be at least 16 characters").optional(),
  ACCESS_TOKEN_TTL: integer(1).default(900),
  REFRESH_TOKEN_TTL: integer(1).default(1209600),
  REFRESH_REUSE_GRACE: integer(0).default(10),
  ADMIN_EMAIL: emailAddress.optional(),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters").optional(),
  LOGIN_ATTEMPTS_PER_EMAIL: integer(1).default(10),
  AUTH_ATTEMPTS_PER_IP: integer(1).default(300),
  TRUST_PROXY: integer(0, 32).default(0),
  ARGON2_MEMORY_KIB: integer(8).default(OWASP_ARGON2_MINIMUM.memoryKiB),
  ARGON2_TIME_COST: integer(1).default(OWASP_ARGON2_MINIMUM.timeCost),
  ARGON2_PARALLELISM: integer(1, 16).default(OWASP_ARGON2_MINIMUM.parallelism),
  PASSWORD_HASH_CONCURRENCY: integer(1, 64).optional(),
  REQUEST_TIMEOUT_MS: integer(50, 120_000).default(10_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  GRAPHQL_PLAYGROUND: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
});

export type Environment = z.infer<typeof environmentSchema>["NODE_ENV"];

export interface Config {
  readonly env: Environment;
  readonly production: boolean;
  readonly port: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  readonly jwt: {
    readonly secret: string;
    readonly previousSecret?: string;
    readonly issuer: string;
    readonly audience: string;
    /** True when no JWT_SECRET was given and a per-process one was generated. */
    readonly generatedSecret: boolean;
  };
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly refreshReuseGrace: number;
  readonly admin?: { readonly email: string; readonly password: string };
  readonly loginAttemptsPerEmail: number;
  readonly authAttemptsPerIp: number;
  readonly trustProxy: number;
  readonly password: {
    readonly memoryKiB: number;
    readonly timeCost: number;
    readonly parallelism: number;
    readonly pepper?: string;
    /** How many hashes may run at once; keeps hashing from taking every core. */
    readonly concurrency: number;
  };
  /** The longest a GraphQL request may run before it is answered SERVICE_UNAVAILABLE. */
  readonly requestTimeoutMs: number;
  readonly logLevel: string;
  /** Serve GraphiQL to browsers at /graphql: on in development, off in production unless GRAPHQL_PLAYGROUND=true. */
  readonly playground: boolean;
}

/** Thrown for a bad environment; the message is one line naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads and validates the environment once. Throws ConfigError naming the
 * first bad variable; the returned object is frozen.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue.path.join(".")} ${issue.message}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === "production";

  if (!env.JWT_SECRET && production) {
    throw new ConfigError("Invalid configuration: JWT_SECRET is required in production (at least 32 bytes)");
  }
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError("Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together");
  }
  if (env.NODE_ENV !== "test") {
    for (const [name, value, minimum] of [
      ["ARGON2_MEMORY_KIB", env.ARGON2_MEMORY_KIB, OWASP_ARGON2_MINIMUM.memoryKiB],
      ["ARGON2_TIME_COST", env.ARGON2_TIME_COST, OWASP_ARGON2_MINIMUM.timeCost],
    ] as const) {
      if (value < minimum) {
        throw new ConfigError(`Invalid configuration: ${name} must be at least ${minimum} (OWASP minimum for argon2id)`);
      }
    }
  }

  return deepFreeze({
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    jwt: {
      secret: env.JWT_SECRET ?? randomBytes(48).toString("base64url"),
      previousSecret: env.JWT_SECRET_PREVIOUS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      generatedSecret: env.JWT_SECRET === undefined,
    },
    accessTokenTtl: env.ACCESS_TOKEN_TTL,
    refreshTokenTtl: env.REFRESH_TOKEN_TTL,
    refreshReuseGrace: env.REFRESH_REUSE_GRACE,
    admin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined,
    loginAttemptsPerEmail: env.LOGIN_ATTEMPTS_PER_EMAIL,
    authAttemptsPerIp: env.AUTH_ATTEMPTS_PER_IP,
    trustProxy: env.TRUST_PROXY,
    password: {
      memoryKiB: env.ARGON2_MEMORY_KIB,
      timeCost: env.ARGON2_TIME_COST,
      parallelism: env.ARGON2_PARALLELISM,
      pepper: env.PASSWORD_PEPPER,
      // Half the cores by default: logins saturating the hasher must leave CPU for token checks.
      concurrency: env.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, Math.floor(availableParallelism() / 2)),
    },
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "silent" : "info"),
    playground: env.GRAPHQL_PLAYGROUND === undefined ? !production : env.GRAPHQL_PLAYGROUND === "true",
  });
}

/** An empty variable (`FOO=`) means "not set", as most shells and compose files intend. */
function withoutEmptyValues(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === "object") deepFreeze(child);
  }
  return Object.freeze(value);
}
