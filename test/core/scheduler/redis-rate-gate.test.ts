import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisRateGate } from '../../../src/core/scheduler/redis-rate-gate.js';
import { silentLogger } from '../engine/engine-harness.js';
import { FakeClock } from '../engine/fake-clock.js';
import { deleteNamespace, REDIS_URL, redisAvailable, uniqueNamespace } from './redis-test-env.js';

const available = await redisAvailable();

describe.skipIf(!available)('RedisRateGate', () => {
  let redis: Redis;
  const namespaces: string[] = [];

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    for (const ns of namespaces) await deleteNamespace(redis, ns);
    await redis.quit();
  });

  /** Two gates on one namespace stand for two instances of the bot. */
  function twoInstances(perMinute: number, clock = new FakeClock()) {
    const namespace = uniqueNamespace('gate');
    namespaces.push(namespace);
    const make = () =>
      new RedisRateGate({ redis, perMinute, clock, logger: silentLogger, namespace });
    return { clock, a: make(), b: make() };
  }

  it('allows MINIMAX_RPM creates per minute across two instances together', async () => {
    const { a, b } = twoInstances(3);
    expect(await a.tryAcquire()).toBe(0);
    expect(await b.tryAcquire()).toBe(0);
    expect(await a.tryAcquire()).toBe(0);
    expect(await b.tryAcquire()).toBe(60_000);
    expect(await a.tryAcquire()).toBe(60_000);
  });

  it('slides: a create frees its place exactly 60 s after it was taken', async () => {
    const { clock, a, b } = twoInstances(2);
    expect(await a.tryAcquire()).toBe(0);
    await clock.advance(20_000);
    expect(await b.tryAcquire()).toBe(0);
    await clock.advance(30_000);
    expect(await a.tryAcquire()).toBe(10_000);
    await clock.advance(10_000);
    expect(await b.tryAcquire()).toBe(0);
    expect(await a.tryAcquire()).toBe(20_000);
  });

  it('spaces creates out when MINIMAX_RPM is below one per minute', async () => {
    const { clock, a, b } = twoInstances(0.5);
    expect(await a.tryAcquire()).toBe(0);
    await clock.advance(60_000);
    expect(await b.tryAcquire()).toBe(60_000);
    await clock.advance(60_000);
    expect(await b.tryAcquire()).toBe(0);
  });

  it('holds every instance after one of them paused the gate for a 1002', async () => {
    const { clock, a, b } = twoInstances(100);
    a.pauseUntil(clock.now() + 30_000);
    expect(await a.tryAcquire()).toBe(30_000);
    await vi.waitFor(async () => expect(await b.tryAcquire()).toBeGreaterThan(0));
    expect(await b.tryAcquire()).toBe(30_000);
    await clock.advance(30_000);
    expect(await b.tryAcquire()).toBe(0);
  });

  it('never shortens a pause another instance set', async () => {
    const { clock, a, b } = twoInstances(100);
    a.pauseUntil(clock.now() + 30_000);
    await vi.waitFor(async () => expect(await b.tryAcquire()).toBe(30_000));
    b.pauseUntil(clock.now() + 5_000);
    await clock.advance(10_000);
    const c = new RedisRateGate({
      redis,
      perMinute: 100,
      clock,
      logger: silentLogger,
      namespace: namespaces.at(-1)!,
    });
    expect(await c.tryAcquire()).toBe(20_000);
  });

  it('lets acquire wait on the clock until the window opens, then take the create', async () => {
    const { clock, a, b } = twoInstances(1);
    await a.acquire();
    let acquired = false;
    const waiting = b.acquire().then(() => {
      acquired = true;
    });
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
    await clock.advance(59_999);
    expect(acquired).toBe(false);
    await clock.advance(1);
    await waiting;
    expect(acquired).toBe(true);
    expect(await a.tryAcquire()).toBe(60_000);
  });

  it('stops waiting with the signal reason when aborted', async () => {
    const { clock, a, b } = twoInstances(1);
    await a.acquire();
    const ctl = new AbortController();
    const waiting = b.acquire(ctl.signal);
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
    ctl.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });
});
