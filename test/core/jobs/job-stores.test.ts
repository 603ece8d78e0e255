import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../../src/backend/open-job-store.js';
import { FINISHED_RETENTION_MS } from '../../../src/core/jobs/job-store.js';
import { SqliteJobStore } from '../../../src/core/jobs/sqlite-job-store.js';
import { describeJobStoreConformance, makeJob } from './job-store.conformance.js';

// Tests get their Redis from the environment by design (SPEC §4); src/ never reads process.env.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function isReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function deleteNamespace(url: string, namespace: string): Promise<void> {
  const client = new Redis(url);
  const keys = await client.keys(`${namespace}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}

describeJobStoreConformance('memory', () => {
  // memory:// has no shared data, so every open() of one harness must return the same store.
  let single: ReturnType<typeof openJobStore> | undefined;
  return {
    open: () => {
      single ??= openJobStore('memory://');
      return single;
    },
    durable: false,
    shared: false,
    cleanup: async () => {},
  };
});

describeJobStoreConformance('sqlite', () => {
  const dir = mkdtemp(join(tmpdir(), 'mvb-store-'));
  return {
    open: async () => openJobStore(`sqlite://${join(await dir, 'nested', 'bot.sqlite')}`),
    durable: true,
    shared: false,
    cleanup: async () => rm(await dir, { recursive: true, force: true }),
  };
});

const redisUp = await isReachable(REDIS_URL);
if (!redisUp) console.warn(`skipping Redis tests: no Redis at ${REDIS_URL}`);
const runId = randomUUID().slice(0, 8);
let harnessSeq = 0;

// Without Redis the real suite is listed as skipped, test by test, rather than replaced by a stub.
describe.skipIf(!redisUp)(
  `JobStore on Redis${redisUp ? '' : ` (skipped: no Redis at ${REDIS_URL})`}`,
  () => {
    describeJobStoreConformance('redis', () => {
      harnessSeq += 1;
      const namespace = `mvb-test-${runId}-${harnessSeq}`;
      return {
        open: () => openJobStore(REDIS_URL, { namespace }),
        durable: true,
        shared: true,
        cleanup: () => deleteNamespace(REDIS_URL, namespace),
      };
    });

    it('lets Redis expire finished records, dedupe keys and claims by themselves', async () => {
      const namespace = `mvb-test-${runId}-ttl`;
      const store = await openJobStore(REDIS_URL, { namespace });
      const redis = new Redis(REDIS_URL);
      try {
        const job = await store.insert(makeJob());
        expect(await redis.pttl(`${namespace}:store:job:${job.id}`)).toBe(-1);
        await store.replace({ ...job, state: 'failed' });
        await store.remember('evt', 60_000);
        await store.claims.take(job.id, 'A', 15_000);
        const ttl = await redis.pttl(`${namespace}:store:job:${job.id}`);
        expect(ttl).toBeGreaterThan(FINISHED_RETENTION_MS - 60_000);
        const keys = await redis.keys(`${namespace}:*`);
        const withoutTtl: string[] = [];
        for (const key of keys) if ((await redis.pttl(key)) < 0) withoutTtl.push(key);
        // Only the active index may live without a TTL, and it is empty once the job ended.
        expect(withoutTtl).toEqual([]);
      } finally {
        await store.close();
        await deleteNamespace(REDIS_URL, namespace);
        await redis.quit();
      }
    });
  },
);

describe('openJobStore', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('creates the parent directory of the SQLite file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mvb-store-'));
    dirs.push(dir);
    const file = join(dir, 'a', 'b', 'bot.sqlite');
    const store = await openJobStore(`sqlite://${file}`);
    await store.insert(makeJob());
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('refuses an unknown store scheme', async () => {
    await expect(openJobStore('mongodb://x')).rejects.toThrow(/sqlite:\/\/, redis:\/\//);
  });

  it('fails at start when Redis cannot be reached', async () => {
    await expect(openJobStore('redis://127.0.0.1:1')).rejects.toThrow();
  });
});

describe('SqliteJobStore over months', () => {
  it('sweeps finished records after the retention, expired keys and stale claims', async () => {
    let now = 1_800_000_000_000;
    const store = new SqliteJobStore({
      db: new Database(':memory:'),
      ownsDb: true,
      now: () => now,
    });
    const running = await store.insert(makeJob({ state: 'generating' }));
    const ended = await store.insert(makeJob());
    await store.replace({ ...ended, state: 'done', finishedAt: now });
    await store.remember('evt:1', 60_000);
    await store.setValue('forever', 1);
    await store.claims.take(ended.id, 'A', 15_000);
    expect(await store.sweep()).toBe(0);
    now += FINISHED_RETENTION_MS + 1;
    // The finished record, the dedupe key and the old claim go; the running job and the
    // value without a TTL stay.
    expect(await store.sweep()).toBe(3);
    expect(await store.get(ended.id)).toBeUndefined();
    expect(await store.get(running.id)).toMatchObject({ state: 'generating' });
    expect(await store.getValue('forever')).toBe(1);
    expect(await store.size()).toBe(2);
    await store.close();
  });

  it('lets two processes share one file: both see every job, and a cancel wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mvb-store-'));
    const file = join(dir, 'bot.sqlite');
    const a = await openJobStore(`sqlite://${file}`);
    const b = await openJobStore(`sqlite://${file}`);
    const jobs = Array.from({ length: 30 }, () => makeJob());
    await Promise.all(jobs.map((job, i) => (i % 2 ? a : b).insert(job)));
    expect((await a.listActive()).length).toBe(30);
    const seenByB = (await b.get(jobs[0]?.id ?? ''))!;
    await a.replace({ ...seenByB, state: 'cancelled' });
    await expect(b.replace({ ...seenByB, state: 'uploading' })).rejects.toMatchObject({
      reason: 'final',
    });
    await a.close();
    await b.close();
    await rm(dir, { recursive: true, force: true });
  });
});
