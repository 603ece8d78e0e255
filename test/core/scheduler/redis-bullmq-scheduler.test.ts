import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import {
  BullmqScheduler,
  type BullmqSchedulerOptions,
} from '../../../src/core/scheduler/bullmq-scheduler.js';
import { RedisRateGate } from '../../../src/core/scheduler/redis-rate-gate.js';
import type { QueueEntry } from '../../../src/core/scheduler/task-scheduler.js';
import { silentLogger } from '../engine/engine-harness.js';
import { FakeClock } from '../engine/fake-clock.js';
import { deleteNamespace, REDIS_URL, redisAvailable, uniqueNamespace } from './redis-test-env.js';

const available = await redisAvailable();

const entry = (jobId: string, user: string, createdAt = 0): QueueEntry => ({
  jobId,
  userKey: user,
  channelKey: 'c1',
  createdAt,
});

/** A dispatch whose jobs run until the test finishes them, recording who ran what. */
class Dispatches {
  readonly started: string[] = [];
  readonly running = new Map<string, () => void>();
  maxRunning = 0;
  for(instance: string) {
    return (jobId: string) =>
      new Promise<void>((resolve) => {
        this.started.push(`${instance}:${jobId}`);
        this.running.set(jobId, () => {
          this.running.delete(jobId);
          resolve();
        });
        this.maxRunning = Math.max(this.maxRunning, this.running.size);
      });
  }
  finish(jobId: string): void {
    this.running.get(jobId)?.();
  }
  finishAll(): void {
    for (const done of [...this.running.values()]) done();
  }
}

describe.skipIf(!available)('BullmqScheduler', () => {
  let redis: Redis;
  let namespace: string;
  let gateClock: FakeClock;
  const open: BullmqScheduler[] = [];
  const dispatches: Dispatches[] = [];

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  beforeEach(() => {
    namespace = uniqueNamespace('bullmq');
    gateClock = new FakeClock();
  });
  afterAll(async () => {
    await redis.quit();
  });
  afterEach(async () => {
    for (const d of dispatches.splice(0)) d.finishAll();
    await Promise.all(open.splice(0).map((s) => s.close()));
    await deleteNamespace(redis, namespace);
  });

  function instance(options: Partial<BullmqSchedulerOptions> & { rpm?: number } = {}) {
    const gate = new RedisRateGate({
      redis,
      perMinute: options.rpm ?? 1000,
      clock: gateClock,
      logger: silentLogger,
      namespace,
    });
    const scheduler = new BullmqScheduler({
      connection: { url: REDIS_URL },
      clock: systemClock,
      logger: silentLogger,
      maxActive: 2,
      gate,
      namespace,
      positionsRefreshMs: 50,
      closeGraceMs: 2_000,
      ...options,
    });
    open.push(scheduler);
    return scheduler;
  }

  function newDispatches(): Dispatches {
    const d = new Dispatches();
    dispatches.push(d);
    return d;
  }

  it('dispatches a job enqueued twice only once', async () => {
    const d = newDispatches();
    const a = instance();
    await a.enqueue(entry('job-1', 'u1'));
    await a.enqueue(entry('job-1', 'u1'));
    await a.start(d.for('a'));
    await vi.waitFor(() => expect(d.started).toEqual(['a:job-1']));
    await a.enqueue(entry('job-1', 'u1'));
    d.finish('job-1');
    await a.enqueue(entry('job-2', 'u1'));
    await vi.waitFor(() => expect(d.started).toEqual(['a:job-1', 'a:job-2']));
  });

  it('puts a user with one job right after the first job of a user with five', async () => {
    const a = instance({ maxActive: 1 });
    for (let i = 1; i <= 5; i++) await a.enqueue(entry(`a${i}`, 'A', i));
    await a.enqueue(entry('b1', 'B', 6));
    expect([...(await a.positions()).keys()]).toEqual(['a1', 'b1', 'a2', 'a3', 'a4', 'a5']);
    const d = newDispatches();
    await a.start(d.for('a'));
    for (const id of ['a1', 'b1', 'a2']) {
      await vi.waitFor(() => expect(d.running.has(id)).toBe(true));
      d.finish(id);
    }
    expect(d.started).toEqual(['a:a1', 'a:b1', 'a:a2']);
  });

  it('never runs more than MAX_ACTIVE_JOBS at once across two instances', async () => {
    const d = newDispatches();
    const a = instance({ maxActive: 2 });
    const b = instance({ maxActive: 2 });
    await a.start(d.for('a'));
    await b.start(d.for('b'));
    for (let i = 1; i <= 6; i++) await a.enqueue(entry(`j${i}`, `u${i}`, i));
    for (let round = 0; round < 3; round++) {
      await vi.waitFor(() => expect(d.running.size).toBe(2));
      // Give a third dispatch every chance to (wrongly) start before releasing the slots.
      await new Promise((r) => setTimeout(r, 150));
      expect(d.running.size).toBe(2);
      d.finishAll();
    }
    await vi.waitFor(() => expect(d.started).toHaveLength(6));
    expect(d.maxRunning).toBe(2);
    expect(new Set(d.started.map((s) => s.split(':')[1]))).toHaveLength(6);
  });

  it('takes a create from the shared gate before each dispatch and shows who waits for one', async () => {
    const d = newDispatches();
    const a = instance({ rpm: 2, maxActive: 5 });
    const seen: Array<ReadonlyMap<string, number>> = [];
    a.onPositions((p) => seen.push(p));
    await a.start(d.for('a'));
    for (let i = 1; i <= 3; i++) await a.enqueue(entry(`j${i}`, `u${i}`, i));
    await vi.waitFor(() => expect(d.started).toHaveLength(2));
    await vi.waitFor(async () => expect([...(await a.positions())]).toEqual([['j3', 1]]));
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(new Map([['j3', 1]])));
    // Both creates got their answers now: their places free a full window later.
    for (const id of ['j1', 'j2']) await a.createGate.settle(id, gateClock.now());
    await gateClock.advance(59_999);
    await new Promise((r) => setTimeout(r, 150));
    expect(d.started).toHaveLength(2);
    await gateClock.advance(1);
    await vi.waitFor(() => expect(d.started).toHaveLength(3));
  });

  it('takes a waiting job out of the queue but not one that already runs', async () => {
    const d = newDispatches();
    const a = instance({ maxActive: 1 });
    await a.start(d.for('a'));
    await a.enqueue(entry('first', 'u1'));
    await vi.waitFor(() => expect(d.started).toEqual(['a:first']));
    await a.enqueue(entry('second', 'u2'));
    expect(await a.remove('second')).toBe(true);
    expect(await a.remove('first')).toBe(false);
    expect(await a.remove('never-queued')).toBe(false);
    expect([...(await a.positions()).keys()]).toEqual([]);
  });

  it('hands the job of an instance that died to another one, without taking a second create', async () => {
    const tuning = { lockDurationMs: 800, stalledIntervalMs: 300, rpm: 1 };
    const dead = newDispatches();
    const a = instance({ ...tuning, closeGraceMs: 0 });
    await a.start(dead.for('a'));
    await a.enqueue(entry('orphan', 'u1'));
    await vi.waitFor(() => expect(dead.started).toEqual(['a:orphan']));
    // Dies: its connections close while the dispatch is still running, so no lock renewal.
    await a.close();
    const d = newDispatches();
    const b = instance(tuning);
    await b.start(d.for('b'));
    await vi.waitFor(() => expect(d.started).toEqual(['b:orphan']), { timeout: 8_000 });
    // RPM 1 with the gate's clock stopped: a second create could not have been taken.
    expect(await b.createGate.tryAcquire('another-job')).toBe(60_000);
  });

  it('tries a job again later when its dispatch threw, instead of dropping it', async () => {
    const a = instance({ retryDelayMs: 50 });
    const calls: string[] = [];
    await a.start(async (jobId) => {
      calls.push(jobId);
      if (calls.length === 1) throw new Error('redis hiccup');
    });
    await a.enqueue(entry('flaky', 'u1'));
    await vi.waitFor(() => expect(calls).toEqual(['flaky', 'flaky']));
  });

  it('hands a running job back to the queue at once when its instance stops', async () => {
    const first = newDispatches();
    const a = instance({ lockDurationMs: 30_000 });
    await a.start(first.for('a'));
    await a.enqueue(entry('handover', 'u1'));
    await vi.waitFor(() => expect(first.started).toEqual(['a:handover']));
    await a.stop();
    // The engine stops its runs after the scheduler: the dispatch returns without finishing.
    first.finish('handover');
    const d = newDispatches();
    const b = instance();
    await b.start(d.for('b'));
    await vi.waitFor(() => expect(d.started).toEqual(['b:handover']));
  });
});
