import { join } from "node:path";
import { defineConfig, MikroORM, type Options } from "@mikro-orm/postgresql";
import type { Client } from "pg";
import { Migrator } from "@mikro-orm/migrations";
import { Session } from "../sessions/session.entity";
import { User } from "../users/user.entity";

/** Fail fast when PostgreSQL is gone instead of queueing requests behind it. */
const ACQUIRE_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 1500;
/**
 * How long the client waits for the answer to one query. A server that hangs
 * (frozen, or cut off without a reset) would otherwise hold requests until
 * TCP gives up: statement_timeout cannot help, the hung server enforces it.
 * Migrations are exempt (see connectDatabase).
 */
const QUERY_TIMEOUT_MS = 1500;

/**
 * MikroORM options for a database URL; the CLI (`mikro-orm.config.ts`) uses
 * them too. `queryTimeout: false` lifts the client-side query timeout.
 */
export function ormOptions(databaseUrl: string, poolSize = 10, { queryTimeout = true } = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: [User, Session],
    extensions: [Migrator],
    migrations: {
      path: join(__dirname, "..", "migrations"),
      glob: "!(*.d).{js,ts}",
      transactional: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: poolSize, acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS, afterCreate: closeOnQueryTimeout },
    driverOptions: {
      connection: {
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        statement_timeout: 10_000,
        ...(queryTimeout ? { query_timeout: QUERY_TIMEOUT_MS } : {}),
        // Notices a peer that vanished without closing the connection.
        keepAlive: true,
      },
    },
    // Request code always works on its own fork (see context.ts).
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: false },
    debug: false,
  });
}

type QueryCallback = (error: Error | null, result?: unknown) => void;

/**
 * A connection whose query got no answer in time is closed instead of going
 * back to the pool: the late answer, or a transaction left open on the
 * server (its ROLLBACK timed out too), would reach the next request that
 * borrowed it. Closing makes the server roll that transaction back.
 */
function closeOnQueryTimeout(connection: Client, done: (error: Error | null, connection: Client) => void): void {
  const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
  (connection as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = ((error, result) => {
        if (error?.message === "Query read timeout") connection.end().catch(() => {});
        (callback as QueryCallback)(error, result);
      }) satisfies QueryCallback;
    }
    return query(...args);
  };
  done(null, connection);
}

/**
 * Connects to PostgreSQL, creating the database when it does not exist yet,
 * and applies pending migrations. Migrations run on their own short-lived
 * connection without the query timeout, which a long migration may outlast.
 */
export async function connectDatabase(databaseUrl: string, poolSize?: number): Promise<MikroORM> {
  const setup = await MikroORM.init(ormOptions(databaseUrl, 1, { queryTimeout: false }));
  try {
    await setup.schema.ensureDatabase();
    await setup.migrator.up();
  } finally {
    await setup.close();
  }
  return MikroORM.init(ormOptions(databaseUrl, poolSize));
}

/** True while PostgreSQL answers a trivial query. */
export async function databaseIsReachable(orm: MikroORM): Promise<boolean> {
  try {
    await orm.em.getConnection().execute("select 1");
    return true;
  } catch {
    return false;
  }
}
