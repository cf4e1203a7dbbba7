import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Redis } from "ioredis";
import type { Config } from "./config";
import { buildContext, type Context } from "./context";
import { databaseIsReachable } from "./database/orm";
import { createErrorFormatter } from "./errors";
import { createHttpServer } from "./http/http-server";
import { createPlayground } from "./http/playground";
import type { Logger } from "./logging/logger";
import { redisIsReachable } from "./redis/redis";
import { buildAppSchema } from "./schema";
import { createServices, type Services } from "./services";

const BODY_LIMIT_BYTES = 100 * 1024;
/** A dependency that takes longer than this to answer a trivial check counts as down: /readyz must not hang with it. */
const READINESS_TIMEOUT_MS = 1000;
const MAX_TOKENS = 1000;

export interface AppDependencies {
  config: Config;
  orm: MikroORM;
  redis: Redis;
  logger: Logger;
  /** Extra Apollo Server plugins, e.g. for tests that observe which operations reached the server. */
  plugins?: ApolloServerPlugin<Context>[];
}

export interface App {
  httpServer: Server;
  services: Services;
  /** Listens on `port` (0 picks a free one) and resolves the port in use. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting requests and waits for those in flight. */
  close(): Promise<void>;
}

/** Builds the whole service without listening, so tests and the entry point share it. */
export async function createApp({ config, orm, redis, logger, plugins = [] }: AppDependencies): Promise<App> {
  const services = createServices(config, redis, logger);
  const schema = await buildAppSchema();
  const armor = new ApolloArmor({
    maxAliases: { n: 5 },
    maxDepth: { n: 8 },
    maxDirectives: { n: 10 },
    // graphql-js counts tokens while parsing (parseOptions below); armor's own
    // token plugin re-parses the document and turns every syntax error into a 500.
    maxTokens: { enabled: false },
    costLimit: { maxCost: 5000 },
    blockFieldSuggestion: { enabled: config.production },
  }).protect();

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // src/index.ts owns signal handling: drain, close connections, exit 0.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter({ production: config.production, logger }),
    parseOptions: { maxTokens: MAX_TOKENS },
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginLandingPageDisabled(),
      ...plugins,
    ],
    logger: { debug: () => {}, info: () => {}, warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
  });
  const httpServer = createHttpServer({
    apollo,
    buildContext: (request) => buildContext(orm, services, request),
    isReady: () => answersWithin(READINESS_TIMEOUT_MS, Promise.all([databaseIsReachable(orm), redisIsReachable(redis)])),
    logger,
    trustProxy: config.trustProxy,
    bodyLimitBytes: BODY_LIMIT_BYTES,
    requestTimeoutMs: config.requestTimeoutMs,
    playground: config.playground ? createPlayground() : undefined,
  });
  // Stopping Apollo then waits for requests in flight before it returns.
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await apollo.start();
  const server = httpServer;

  return {
    httpServer: server,
    services,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () => apollo.stop(),
  };
}

/** True when every check answered true within `ms`; false when one failed or took longer. */
async function answersWithin(ms: number, checks: Promise<boolean[]>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([checks.then((results) => results.every(Boolean)), late]);
  } finally {
    clearTimeout(timer);
  }
}
