import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../../src/core/scheduler/fair-queue.js';
import { FairScheduler } from '../../../src/core/scheduler/fair-scheduler.js';
import { maxInWindow, silentLogger } from '../engine/engine-harness.js';
import { FakeClock, settle } from '../engine/fake-clock.js';

const entry = (jobId: string, user: string, channel = 'c1', createdAt = 0) => ({
  jobId,
  userKey: user,
  channelKey: channel,
  createdAt,
});

describe('FairQueue', () => {
  it('serves a user with one job right after the first job of a user with five', () => {
    const q = new FairQueue();
    for (let i = 1; i <= 5; i++) q.add(entry(`a${i}`, 'A'));
    q.add(entry('b1', 'B'));
    expect(q.order()).toEqual(['a1', 'b1', 'a2', 'a3', 'a4', 'a5']);
    const taken = [];
    for (let e = q.next(); e; e = q.next()) taken.push(e.jobId);
    expect(taken).toEqual(['a1', 'b1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('alternates between the channels of one user', () => {
    const q = new FairQueue();
    q.add(entry('x1', 'A', 'x'));
    q.add(entry('x2', 'A', 'x'));
    q.add(entry('y1', 'A', 'y'));
    expect(q.order()).toEqual(['x1', 'y1', 'x2']);
  });

  it('keeps its order when a waiting job is removed', () => {
    const q = new FairQueue();
    q.add(entry('a1', 'A'));
    q.add(entry('a2', 'A'));
    q.add(entry('b1', 'B'));
    expect(q.remove('b1')).toBe(true);
    expect(q.remove('b1')).toBe(false);
    expect(q.order()).toEqual(['a1', 'a2']);
    expect(q.size).toBe(2);
  });
});

describe('FairScheduler', () => {
  function makeScheduler(clock: FakeClock, maxActive: number, rpm: number) {
    return new FairScheduler({ clock, logger: silentLogger, maxActive, createsPerMinute: rpm });
  }

  it('never dispatches more than MINIMAX_RPM jobs in any 60 s window', async () => {
    const clock = new FakeClock();
    const scheduler = makeScheduler(clock, 100, 5);
    const dispatchedAt: number[] = [];
    await scheduler.start(async (jobId) => {
      dispatchedAt.push(clock.now());
      // The job's create got its answer at once.
      await scheduler.createGate.settle(jobId, clock.now());
    });
    for (let i = 0; i < 12; i++) await scheduler.enqueue(entry(`j${i}`, `u${i % 3}`));
    for (let s = 0; s < 200; s++) await clock.advance(1_000);
    await scheduler.stop();
    expect(dispatchedAt).toHaveLength(12);
    expect(maxInWindow(dispatchedAt, 60_000)).toBe(5);
  });

  it('gives the reservation back when a dispatched job ends without sending its create', async () => {
    const clock = new FakeClock();
    const scheduler = makeScheduler(clock, 100, 1);
    const dispatched: string[] = [];
    await scheduler.start(async (jobId) => {
      dispatched.push(jobId);
    });
    await scheduler.enqueue(entry('cancelled-early', 'u1'));
    await scheduler.enqueue(entry('next', 'u2'));
    await settle();
    expect(dispatched).toEqual(['cancelled-early', 'next']);
    await scheduler.stop();
  });

  it('holds at most MAX_ACTIVE_JOBS jobs at once and starts the next when one ends', async () => {
    const clock = new FakeClock();
    const scheduler = makeScheduler(clock, 2, 1000);
    const finishers = new Map<string, () => void>();
    let active = 0;
    let peak = 0;
    await scheduler.start(
      (jobId) =>
        new Promise<void>((resolve) => {
          active++;
          peak = Math.max(peak, active);
          finishers.set(jobId, () => {
            active--;
            resolve();
          });
        }),
    );
    for (let i = 0; i < 5; i++) await scheduler.enqueue(entry(`j${i}`, `u${i}`));
    await settle();
    expect([...finishers.keys()]).toEqual(['j0', 'j1']);
    finishers.get('j0')!();
    await settle();
    expect([...finishers.keys()]).toEqual(['j0', 'j1', 'j2']);
    expect(peak).toBe(2);
    await scheduler.stop();
  });

  it('counts jobs resumed past the queue against MAX_ACTIVE_JOBS', async () => {
    const clock = new FakeClock();
    const scheduler = makeScheduler(clock, 1, 1000);
    let release!: () => void;
    scheduler.hold('resumed', new Promise<void>((r) => (release = r)));
    const dispatched: string[] = [];
    await scheduler.start(async (id) => {
      dispatched.push(id);
    });
    await scheduler.enqueue(entry('new', 'u'));
    await settle();
    expect(dispatched).toEqual([]);
    release();
    await settle();
    expect(dispatched).toEqual(['new']);
    await scheduler.stop();
  });

  it('publishes queue positions whenever the waiting order changes', async () => {
    const clock = new FakeClock();
    const scheduler = makeScheduler(clock, 1, 1000);
    const seen: Array<Record<string, number>> = [];
    scheduler.onPositions((p) => seen.push(Object.fromEntries(p)));
    await scheduler.enqueue(entry('a1', 'A'));
    await scheduler.enqueue(entry('a2', 'A'));
    await scheduler.enqueue(entry('b1', 'B'));
    expect(seen.at(-1)).toEqual({ a1: 1, b1: 2, a2: 3 });
    await scheduler.remove('b1');
    expect(seen.at(-1)).toEqual({ a1: 1, a2: 2 });
    await scheduler.start(() => new Promise<void>(() => {}));
    await settle();
    expect(seen.at(-1)).toEqual({ a2: 1 });
    expect(await scheduler.positions()).toEqual(new Map([['a2', 1]]));
    await scheduler.stop();
  });
});
