import { join } from "node:path";
import { defineConfig, MikroORM, type Options } from "@mikro-orm/postgresql";
import { Migrator } from "@mikro-orm/migrations";
import { Session } from "../sessions/session.entity";
import { User } from "../users/user.entity";

/** Fail fast when PostgreSQL is gone instead of queueing requests behind it. */
const ACQUIRE_TIMEOUT_MS = 2000;

/** MikroORM options for a database URL; the CLI (`mikro-orm.config.ts`) uses them too. */
export function ormOptions(databaseUrl: string, poolSize = 10): Options {
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
    pool: { min: 0, max: poolSize, acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS },
    driverOptions: { connection: { connectionTimeoutMillis: ACQUIRE_TIMEOUT_MS, statement_timeout: 10_000 } },
    // Request code always works on its own fork (see context.ts).
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: false },
    debug: false,
  });
}

/**
 * Connects to PostgreSQL, creating the database when it does not exist yet,
 * and applies pending migrations.
 */
export async function connectDatabase(databaseUrl: string, poolSize?: number): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, poolSize));
  await orm.schema.ensureDatabase();
  await orm.migrator.up();
  return orm;
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
