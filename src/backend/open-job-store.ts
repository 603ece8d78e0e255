import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import type { JobStore } from '../core/jobs/job-store.js';
import { RedisJobStore } from '../core/jobs/redis-job-store.js';
import { SqliteJobStore } from '../core/jobs/sqlite-job-store.js';
import { type StoreLocation, storeLocationOf } from './store-location.js';

/**
 * The embedded database (job store and quota ledger share it): WAL so readers never block the
 * writer, and a busy timeout so a second process on the same DATA_DIR waits for the write lock
 * instead of failing. `memory://` gives a private in-memory database.
 */
export function openEmbeddedDatabase(location: StoreLocation): Database.Database {
  if (location.kind !== 'sqlite') return new Database(':memory:');
  mkdirSync(dirname(location.file), { recursive: true });
  const db = new Database(location.file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  return db;
}

export interface OpenJobStoreOptions {
  /** Key prefix shared by every instance of one bot (Redis). Default `mvb`. */
  namespace?: string;
  /** Wall clock of the embedded store's TTLs and leases. */
  now?: () => number;
}

/**
 * Opens a job store with its own connection, closed by `store.close()` (tools and tests; the
 * app gets its store from createBackend, over the backend's one database or Redis client).
 */
export async function openJobStore(
  location: StoreLocation | string,
  options: OpenJobStoreOptions = {},
): Promise<JobStore> {
  const where = typeof location === 'string' ? storeLocationOf(location) : location;
  if (where.kind === 'redis') {
    const redis = new Redis(where.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 3,
      // A tool that cannot reach Redis should say so, not retry forever.
      retryStrategy: (attempt) => (attempt > 3 ? null : 200 * attempt),
    });
    // connect() rejects with the cause; the listener only keeps ioredis from also printing it.
    redis.on('error', () => {});
    await redis.connect();
    const store = new RedisJobStore({ redis, namespace: options.namespace ?? 'mvb' });
    return Object.assign(store, {
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    });
  }
  return new SqliteJobStore({
    db: openEmbeddedDatabase(where),
    ownsDb: true,
    ...(options.now ? { now: options.now } : {}),
  });
}
