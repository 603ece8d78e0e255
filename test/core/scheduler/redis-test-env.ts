import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the Redis-backed tests use (SPEC §4). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a Redis answers PING at `url` within a second; else says so on the console once. */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    console.warn(`skipping Redis tests: no Redis at ${url}`);
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A key prefix no other test run uses, so runs can share one Redis. */
export function uniqueNamespace(label: string): string {
  return `mvbtest-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `namespace` (BullMQ `ns:*`, store `ns::*`, gate and leader keys). */
export async function deleteNamespace(redis: Redis, namespace: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
