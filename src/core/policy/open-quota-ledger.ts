import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Config, storeUrlOf } from '../config.js';
import type { QuotaLedger } from './quota-ledger.js';
import { RedisQuotaLedger } from './redis-quota-ledger.js';
import { SqliteQuotaLedger } from './sqlite-quota-ledger.js';

export interface QuotaLedgerBundle {
  ledger: QuotaLedger;
  /** Closes the connection or database opened for the ledger. */
  close(): Promise<void>;
}

/**
 * The ledger STORE_URL calls for: Redis (its own ioredis connection, keys under `namespace`),
 * or better-sqlite3 beside the SQLite store, or in memory for `memory://`.
 * TODO(#11): once the job store itself is on better-sqlite3, the backend factory passes its
 * Database here instead. Until then the ledger has its own file: two SQLite libraries (keyv's
 * sqlite3 and better-sqlite3) writing one file from one process do not see each other's locks.
 */
export async function openQuotaLedger(
  config: Config,
  deps: { logger: Logger; namespace?: string },
): Promise<QuotaLedgerBundle> {
  const url = storeUrlOf(config);
  if (/^rediss?:/.test(url)) {
    const logger = deps.logger.child({ component: 'quota-ledger' });
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    redis.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error'));
    await redis.connect();
    return {
      ledger: new RedisQuotaLedger({ redis, namespace: deps.namespace ?? 'mvb' }),
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  const db = openLedgerDatabase(url);
  return { ledger: new SqliteQuotaLedger({ db }), close: async () => void db.close() };
}

/** `sqlite://data/bot.sqlite` → `data/bot.quota.sqlite` (WAL, waits for another process's write). */
function openLedgerDatabase(storeUrl: string): Database.Database {
  if (!storeUrl.startsWith('sqlite:')) return new Database(':memory:');
  const storeFile = resolve(storeUrl.replace(/^sqlite:\/\//, ''));
  mkdirSync(dirname(storeFile), { recursive: true });
  const db = new Database(storeFile.replace(/(\.sqlite)?$/, '.quota.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
