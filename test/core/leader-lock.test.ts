import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisLeaderLock, SoleLeader } from '../../src/core/leader-lock.js';
import { silentLogger } from './engine/engine-harness.js';
import { FakeClock } from './engine/fake-clock.js';
import {
  deleteNamespace,
  REDIS_URL,
  redisAvailable,
  uniqueNamespace,
} from './scheduler/redis-test-env.js';

describe('SoleLeader', () => {
  it('always leads, for a single instance without Redis', async () => {
    const lock = new SoleLeader();
    await lock.start();
    expect(lock.isLeader()).toBe(true);
  });
});

const available = await redisAvailable();

describe.skipIf(!available)('RedisLeaderLock', () => {
  let redis: Redis;
  let namespace: string;
  const clients: Redis[] = [];
  const locks: RedisLeaderLock[] = [];

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  beforeEach(() => {
    namespace = uniqueNamespace('leader');
  });
  afterAll(async () => {
    await redis.quit();
  });
  afterEach(async () => {
    await Promise.all(locks.splice(0).map((l) => l.stop()));
    for (const c of clients.splice(0)) c.disconnect();
    await deleteNamespace(redis, namespace);
  });

  /** One instance: its own connection and clock, as in separate processes. */
  function instance(ttlMs = 30_000) {
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    clients.push(client);
    const clock = new FakeClock();
    const lock = new RedisLeaderLock({
      redis: client,
      clock,
      logger: silentLogger,
      name: 'discord-gateway',
      namespace,
      ttlMs,
    });
    locks.push(lock);
    const changes: boolean[] = [];
    lock.onChange((leader) => changes.push(leader));
    return { lock, clock, client, changes };
  }

  it('lets exactly one of two instances lead', async () => {
    const a = instance();
    const b = instance();
    await a.lock.start();
    await b.lock.start();
    expect(a.lock.isLeader()).toBe(true);
    expect(b.lock.isLeader()).toBe(false);
    expect(a.changes).toEqual([true]);
  });

  it('keeps its leadership by renewing before the lock expires', async () => {
    const a = instance(600);
    const b = instance(600);
    await a.lock.start();
    await b.lock.start();
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await a.clock.advance(200);
      await b.clock.advance(200);
    }
    expect(a.lock.isLeader()).toBe(true);
    expect(b.lock.isLeader()).toBe(false);
  });

  it('hands over at the next check when the leader stops', async () => {
    const a = instance();
    const b = instance();
    await a.lock.start();
    await b.lock.start();
    await a.lock.stop();
    expect(a.changes).toEqual([true, false]);
    await b.clock.advance(10_000);
    await vi.waitFor(() => expect(b.lock.isLeader()).toBe(true));
    expect(b.changes).toEqual([true]);
  });

  it('is replaced once a leader that died stops renewing and its lock expires', async () => {
    const a = instance(300);
    const b = instance(300);
    await a.lock.start();
    await b.lock.start();
    a.client.disconnect();
    await new Promise((r) => setTimeout(r, 350));
    await b.clock.advance(100);
    await vi.waitFor(() => expect(b.lock.isLeader()).toBe(true));
  });

  it('steps down by itself after two renewals it could not make', async () => {
    const a = instance(30_000);
    await a.lock.start();
    a.client.disconnect();
    await a.clock.advance(10_000);
    await vi.waitFor(() => expect(a.clock.pendingTimers).toBe(1));
    expect(a.lock.isLeader()).toBe(true);
    await a.clock.advance(10_000);
    await vi.waitFor(() => expect(a.lock.isLeader()).toBe(false));
    expect(a.changes).toEqual([true, false]);
  });
});
