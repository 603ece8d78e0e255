import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../src/core/jobs/job.js';
import { maxInWindow, originOf, timeCreates, useEngineHarness } from './engine-harness.js';
import { driveUntil, FakeClock } from './fake-clock.js';

const ACTIVE: JobState[] = ['submitting', 'generating', 'downloading', 'uploading'];

describe('JobEngine queue', () => {
  const harness = useEngineHarness();

  it('never creates more than MINIMAX_RPM tasks in any 60 s window across 12 jobs', async () => {
    const clock = new FakeClock();
    const { createdAt, wrapClient } = timeCreates(clock);
    const h = await harness({
      clock,
      wrapClient,
      env: { MINIMAX_RPM: '5', POLL_MIN_S: '1', POLL_MAX_S: '5' },
    });
    await h.engine.start();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await h.engine.submit({ prompt: `clip ${i}` }, originOf(`u${i % 4}`))).id);
    }
    const finished = new Set<string>();
    h.engine.onProgress((e) => {
      if (e.state === 'done' || e.state === 'failed') finished.add(e.jobId);
    });
    await driveUntil(clock, () => finished.size === 12);
    expect(h.sim.creates()).toHaveLength(12);
    expect(createdAt).toHaveLength(12);
    expect(maxInWindow(createdAt, 60_000)).toBe(5);
    for (const id of ids) expect((await h.engine.get(id))?.state).toBe('done');
  });

  it('runs at most MAX_ACTIVE_JOBS jobs between submitting and done', async () => {
    const h = await harness({ env: { MAX_ACTIVE_JOBS: '2' } });
    const states = new Map<string, JobState>();
    let peak = 0;
    h.engine.onProgress((e) => {
      states.set(e.jobId, e.state);
      peak = Math.max(peak, [...states.values()].filter((s) => ACTIVE.includes(s)).length);
    });
    await h.engine.start();
    const jobs = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => h.engine.submit({ prompt: `p${i}` }, originOf(`u${i}`))),
    );
    for (const job of jobs) expect((await h.waitFor(job.id)).state).toBe('done');
    expect(peak).toBe(2);
  });

  it('does not leave the single job of a second user until after five jobs of the first', async () => {
    const h = await harness({ env: { MAX_ACTIVE_JOBS: '1' } });
    const started: string[] = [];
    h.engine.onProgress((e) => {
      if (e.kind === 'state' && e.state === 'submitting') started.push(e.job.origin.userId);
    });
    const a = [];
    for (let i = 0; i < 5; i++) a.push(await h.engine.submit({ prompt: `a${i}` }, originOf('A')));
    const b = await h.engine.submit({ prompt: 'b' }, originOf('B'));
    await h.engine.start();
    await h.waitFor(b.id);
    for (const job of a) await h.waitFor(job.id);
    expect(started).toHaveLength(6);
    expect(started.indexOf('B')).toBe(1);
  });

  it('tells waiting users their queue position as it changes', async () => {
    const h = await harness({ env: { MAX_ACTIVE_JOBS: '1' } });
    const first = await h.engine.submit({ prompt: 'one' }, originOf('A'));
    const second = await h.engine.submit({ prompt: 'two' }, originOf('B'));
    const third = await h.engine.submit({ prompt: 'three' }, originOf('C'));
    await h.engine.start();
    await h.waitFor(third.id);
    const positions = (id: string) =>
      h.events.filter((e) => e.jobId === id && e.kind === 'position').map((e) => e.queuePosition);
    expect(positions(first.id)).toEqual([1]);
    expect(positions(second.id)).toEqual([2, 1]);
    expect(positions(third.id)).toEqual([3, 2, 1]);
  });

  it('returns the same job when a platform delivers the same event twice', async () => {
    const h = await harness();
    await h.engine.start();
    const [a, b] = await Promise.all([
      h.engine.submit({ prompt: 'dup' }, originOf(), { dedupeKey: 'evt-1' }),
      h.engine.submit({ prompt: 'dup' }, originOf(), { dedupeKey: 'evt-1' }),
    ]);
    const c = await h.engine.submit({ prompt: 'dup' }, originOf(), { dedupeKey: 'evt-1' });
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    await h.waitFor(a.id);
    const other = await h.engine.submit({ prompt: 'dup' }, originOf(), { dedupeKey: 'evt-2' });
    expect(other.id).not.toBe(a.id);
    await h.waitFor(other.id);
    expect(h.sim.creates()).toHaveLength(2);
  });
});
