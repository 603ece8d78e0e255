import { describe, expect, it } from 'vitest';
import type { JobOrigin } from '../../../src/core/jobs/job.js';
import { type HarnessOptions, originOf, useEngineHarness } from './engine-harness.js';

const SLOW = { timelineMs: { preparing: 10, queueing: 10, processing: 60_000 } };
const alice: JobOrigin = { ...originOf('A'), platform: 'discord', workspaceId: 'g1' };

/**
 * When a quota hold is given back: never once a create may have reached MiniMax (daily counts),
 * always when the job ends (videos in progress), and whenever a request goes no further.
 */
describe('JobEngine quota holds', () => {
  const harness = useEngineHarness();
  const withPolicy = (env: Record<string, string>, sim?: HarnessOptions['sim']) =>
    harness({
      env,
      ...(sim ? { sim } : {}),
    });
  const remaining = async (h: Awaited<ReturnType<typeof withPolicy>>) =>
    (await h.engine.status('discord', 'A')).remainingToday;

  it('keeps the daily count of a finished video and frees its place in progress', async () => {
    const h = await withPolicy({ USER_DAILY_LIMIT: '2', USER_MAX_ACTIVE: '1' });
    h.engine.registerDeliverer('discord', { deliver: async () => ({}) });
    await h.engine.start();
    const first = await h.engine.submit({ prompt: 'first' }, alice);
    await expect(h.engine.submit({ prompt: 'meanwhile' }, alice)).rejects.toMatchObject({
      code: 'user_max_active',
    });
    expect((await h.waitFor(first.id)).state).toBe('done');
    expect(await remaining(h)).toBe(1);
    const second = await h.engine.submit({ prompt: 'second' }, alice);
    expect((await h.waitFor(second.id)).state).toBe('done');
    await expect(h.engine.submit({ prompt: 'third' }, alice)).rejects.toMatchObject({
      code: 'user_daily_limit',
    });
  });

  it('gives the daily count back for a job cancelled while it waited in the queue', async () => {
    const h = await withPolicy({ USER_DAILY_LIMIT: '1', MAX_ACTIVE_JOBS: '1' }, SLOW);
    await h.engine.start();
    const blocker = await h.engine.submit({ prompt: 'holds the only slot' }, originOf('B'));
    await h.waitFor(blocker.id, ['generating']);
    const job = await h.engine.submit({ prompt: 'waits' }, alice);
    expect(await remaining(h)).toBe(0);
    expect(await h.engine.cancel(job.id, 'A')).toBe('cancelled');
    await expect.poll(() => remaining(h)).toBe(1);
  });

  it('keeps the daily count of a job cancelled after its task was created', async () => {
    const h = await withPolicy({ USER_DAILY_LIMIT: '1' }, SLOW);
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'billed anyway' }, alice);
    await h.waitFor(job.id, ['generating']);
    expect(await h.engine.cancel(job.id, 'A')).toBe('cancelled');
    await h.engine.stop();
    expect(await remaining(h)).toBe(0);
  });

  it('gives the daily count back when MiniMax certainly refused the create', async () => {
    const h = await withPolicy({ USER_DAILY_LIMIT: '1' });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a forbidden scene [[moderation]]' }, alice);
    expect((await h.waitFor(job.id)).state).toBe('failed');
    await expect.poll(() => remaining(h)).toBe(1);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('gives the hold back when the request is invalid, and keeps nothing of a refused one', async () => {
    const h = await withPolicy({ USER_DAILY_LIMIT: '1' });
    await h.engine.start();
    const ticket = await h.engine.admit(alice);
    expect(await remaining(h)).toBe(0);
    await expect(
      h.engine.submit({ prompt: 'x', duration: 7 as 6 }, alice, { ticket }),
    ).rejects.toMatchObject({ code: expect.any(String) });
    expect(await remaining(h)).toBe(1);
    const other = await h.engine.admit(alice);
    await other.release();
    await other.release();
    expect(await remaining(h)).toBe(1);
  });

  it('gives back the hold of a duplicate delivery that gets the first job', async () => {
    const h = await withPolicy({ USER_DAILY_LIMIT: '2' }, SLOW);
    await h.engine.start();
    const first = await h.engine.submit({ prompt: 'once' }, alice, { dedupeKey: 'evt-1' });
    const ticket = await h.engine.admit(alice);
    const again = await h.engine.submit({ prompt: 'once' }, alice, { dedupeKey: 'evt-1', ticket });
    expect(again.id).toBe(first.id);
    expect(await remaining(h)).toBe(1);
  });
});
