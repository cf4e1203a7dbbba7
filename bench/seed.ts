import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Client } from "pg";
import { jtiBucketExpiresAt, jtiBucketKey } from "../src/revocation/revocation.store";

const REDIS_BATCH = 1000;
const REDIS_BATCHES_PER_PIPELINE = 50;

/**
 * Inserts `count` users in one statement, straight into the table: the
 * benchmark measures the service with a large table, not the cost of
 * filling it through the API. All share one (valid) password hash.
 */
export async function seedUsers(pg: Client, options: { count: number; firstIndex: number; emailPrefix: string; passwordHash: string }): Promise<void> {
  await pg.query(
    `insert into users (id, created_at, updated_at, email, password_hash, roles)
     select gen_random_uuid(), now(), now(), $1 || g || '@bench.invalid', $2, '{USER}'
     from generate_series($3::int, $4::int) as g`,
    [options.emailPrefix, options.passwordHash, options.firstIndex, options.firstIndex + options.count - 1],
  );
  // Fresh statistics and no pending autovacuum, so the next measurement sees a settled table.
  await pg.query("vacuum analyze users");
}

export interface RevocationSeed {
  key: string;
  entries: number;
  /** used_memory grew by this much while seeding (noisy: the Redis is shared). */
  usedMemoryDeltaBytes: number;
  /** MEMORY USAGE of the set, exact for this key. */
  keyBytes: number;
}

/**
 * Adds `count` random jtis to the revocation set that tokens expiring at
 * `exp` are checked against, the same bucketed set structure logout writes,
 * in pipelined batches.
 */
export async function seedRevocations(redis: Redis, exp: number, count: number): Promise<RevocationSeed> {
  const key = jtiBucketKey(exp);
  const before = await usedMemory(redis);
  let added = 0;
  while (added < count) {
    const pipeline = redis.pipeline();
    for (let batch = 0; batch < REDIS_BATCHES_PER_PIPELINE && added < count; batch += 1) {
      const size = Math.min(REDIS_BATCH, count - added);
      pipeline.sadd(key, ...Array.from({ length: size }, () => randomUUID()));
      added += size;
    }
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }
  await redis.expireat(key, jtiBucketExpiresAt(exp));
  const after = await usedMemory(redis);
  // ioredis does not prefix keys of MEMORY USAGE, so the full key is given.
  const keyBytes = Number(await redis.call("MEMORY", "USAGE", `${redis.options.keyPrefix ?? ""}${key}`, "SAMPLES", "0"));
  return { key, entries: await redis.scard(key), usedMemoryDeltaBytes: after - before, keyBytes };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error("INFO memory has no used_memory");
  return Number(match[1]);
}

/** Deletes every key under `prefix` (SCAN patterns are not prefixed by ioredis, keys given to UNLINK are). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys.map((key) => key.slice(prefix.length)));
  } while (cursor !== "0");
}
