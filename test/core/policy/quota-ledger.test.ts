import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisQuotaLedger } from '../../../src/core/policy/redis-quota-ledger.js';
import { SqliteQuotaLedger } from '../../../src/core/policy/sqlite-quota-ledger.js';
import {
  deleteNamespace,
  REDIS_URL,
  redisAvailable,
  uniqueNamespace,
} from '../scheduler/redis-test-env.js';
import { describeQuotaLedgerConformance } from './quota-ledger.conformance.js';

const available = await redisAvailable();

// Each open() is its own better-sqlite3 connection to one file, as two processes would have.
describeQuotaLedgerConformance('better-sqlite3 file, two connections', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quota-ledger-'));
  const dbs: Database.Database[] = [];
  return {
    async open() {
      const db = new Database(join(dir, 'bot.quota.sqlite'));
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      dbs.push(db);
      return new SqliteQuotaLedger({ db });
    },
    async cleanup() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe.skipIf(!available)('Redis quota ledger', () => {
  describeQuotaLedgerConformance('Redis, two clients', async () => {
    const namespace = uniqueNamespace('quota');
    const clients: Redis[] = [];
    return {
      async open() {
        const redis = new Redis(REDIS_URL);
        clients.push(redis);
        return new RedisQuotaLedger({ redis, namespace });
      },
      async cleanup() {
        await deleteNamespace(clients[0]!, namespace);
        for (const c of clients) c.disconnect();
      },
    };
  });

  it('leaves every key with a TTL, so counters expire by themselves', async () => {
    const namespace = uniqueNamespace('quota-ttl');
    const redis = new Redis(REDIS_URL);
    try {
      const ledger = new RedisQuotaLedger({ redis, namespace });
      const now = Date.UTC(2026, 2, 1, 12);
      await ledger.reserve(
        'r1',
        [{ counter: 'day:x', limit: 3, amount: 1, kind: 'spend', expiresAt: now + 60_000 }],
        now,
      );
      const keys = await redis.keys(`${namespace}:*`);
      expect(keys.length).toBe(4);
      for (const key of keys) {
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
    } finally {
      await deleteNamespace(redis, namespace);
      redis.disconnect();
    }
  });
});

describe('SQLite quota ledger', () => {
  it('sweeps expired rows, so the table does not grow with the days', () => {
    const db = new Database(':memory:');
    const ledger = new SqliteQuotaLedger({ db });
    const day = 86_400_000;
    const t0 = Date.UTC(2026, 2, 1);
    return (async () => {
      for (let d = 0; d < 30; d++) {
        for (let i = 0; i < 20; i++) {
          await ledger.reserve(
            `d${d}-${i}`,
            [{ counter: `day:${d}`, amount: 1, kind: 'spend', expiresAt: t0 + (d + 1) * day }],
            t0 + d * day,
          );
        }
      }
      const { rows } = db.prepare('SELECT COUNT(*) AS rows FROM quota_holds').get() as {
        rows: number;
      };
      expect(rows).toBe(20);
      db.close();
    })();
  });
});
