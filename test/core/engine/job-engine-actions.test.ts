import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';

import type { Deliverer, VideoFile } from '../../../src/core/delivery.js';
import { BotError, PolicyError } from '../../../src/core/errors.js';
import type { Job } from '../../../src/core/jobs/job.js';
import { createSubmitPolicy } from '../../../src/core/policy/submit-policy.js';
import { originOf, useEngineHarness } from './engine-harness.js';

const SLOW = { timelineMs: { preparing: 10, queueing: 10, processing: 60_000 } };

/** A platform adapter's Deliverer that records what it was given. */
class RecordingDeliverer implements Deliverer {
  readonly calls: Array<{ job: Job; video: VideoFile }> = [];
  constructor(private readonly fail?: BotError) {}
  async deliver(job: Job, video: VideoFile) {
    this.calls.push({ job, video });
    if (this.fail) throw this.fail;
    return { resultUrl: `https://chat.example/m/${job.id}`, ref: { messageId: 'm-1' } };
  }
}

describe('JobEngine actions', () => {
  const harness = useEngineHarness();

  it('cancels a generating job for its requester and stops querying the task', async () => {
    const h = await harness({ sim: SLOW });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a long one' }, originOf('A'));
    const generating = await h.waitFor(job.id, ['generating']);
    expect(await h.engine.cancel(job.id, 'B')).toBe('not_allowed');
    expect(await h.engine.cancel(job.id, 'A')).toBe('cancelled');
    const cancelled = await h.engine.get(job.id);
    expect(cancelled?.state).toBe('cancelled');
    expect(cancelled?.cancelRequestedBy).toBe('A');
    const queriesAtCancel = h.sim.queries(generating.taskId).length;
    await new Promise((r) => setTimeout(r, 150));
    expect(h.sim.queries(generating.taskId)).toHaveLength(queriesAtCancel);
    expect(await h.engine.cancel(job.id, 'A')).toBe('too_late');
  });

  it('lets an admin cancel a queued job, which then never reaches MiniMax', async () => {
    const h = await harness();
    const job = await h.engine.submit({ prompt: 'never' }, originOf('A'));
    expect(await h.engine.cancel(job.id, 'admin', { isAdmin: true })).toBe('cancelled');
    expect(await h.engine.cancel('missing', 'A')).toBe('not_found');
    await h.engine.start();
    const other = await h.engine.submit({ prompt: 'after' }, originOf('A'));
    await h.waitFor(other.id);
    expect(h.sim.creates()).toHaveLength(1);
    expect((await h.engine.get(job.id))?.state).toBe('cancelled');
  });

  it('queries a task at once when a MiniMax callback names it', async () => {
    const h = await harness({
      sim: SLOW,
      env: { POLL_MIN_S: '30', POLL_MAX_S: '60' },
      engine: { callbackUrl: 'http://127.0.0.1:9/minimax/callback' },
    });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'hinted' }, originOf());
    const generating = await h.waitFor(job.id, ['generating']);
    expect(h.engine.notifyTaskUpdate('no-such-task')).toBe(false);
    h.sim.finish(generating.taskId!);
    expect(h.engine.notifyTaskUpdate(generating.taskId!)).toBe(true);
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(h.sim.queries(generating.taskId)).toHaveLength(1);
  });

  it('hands the file to the platform deliverer and stores its result', async () => {
    const h = await harness({ env: { PUBLIC_URL: 'https://bot.example/' } });
    const deliverer = new RecordingDeliverer();
    h.engine.registerDeliverer('discord', deliverer);
    await h.engine.start();
    const job = await h.engine.submit(
      { prompt: 'deliver me' },
      { ...originOf(), platform: 'discord' },
    );
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(done.resultUrl).toBe(`https://chat.example/m/${job.id}`);
    expect(done.origin.ref).toEqual({ messageId: 'm-1' });
    const { video } = deliverer.calls[0]!;
    expect(video.path).toBe(done.videoPath);
    expect(video.bytes).toBe((await readFile(video.path)).length);
    expect(video.fallbackUrl).toBe(`https://bot.example/videos/${job.id}.mp4`);
  });

  it("offers MiniMax's link and its expiry as the fallback when PUBLIC_URL is unset", async () => {
    const h = await harness();
    const deliverer = new RecordingDeliverer();
    h.engine.registerDeliverer('slack', deliverer);
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'link' }, { ...originOf(), platform: 'slack' });
    await h.waitFor(job.id);
    const { video } = deliverer.calls[0]!;
    expect(video.fallbackUrl).toMatch(new RegExp(`^${h.sim.url}/`));
    expect(video.fallbackUrlExpiresAt).toBeGreaterThan(Date.now());
  });

  it("fails the job with the adapter's message when delivery fails", async () => {
    const h = await harness();
    const fail = new BotError({
      code: 'upload_failed',
      userMessage: 'The upload to Slack failed.',
    });
    h.engine.registerDeliverer('slack', new RecordingDeliverer(fail));
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'x' }, { ...originOf(), platform: 'slack' });
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({
      code: 'upload_failed',
      userMessage: 'The upload to Slack failed.',
    });
  });

  it('regenerates a job with the same request and images as a new job', async () => {
    const h = await harness();
    await h.engine.start();
    const image = await readFile(new URL('../../fixtures/frame.png', import.meta.url));
    const first = await h.engine.submit(
      { prompt: 'animate', images: { first: { bytes: image } } },
      originOf(),
    );
    await h.waitFor(first.id);
    const again = await h.engine.resubmit(first.id, originOf('B'), { promptOptimizer: false });
    expect(again.id).not.toBe(first.id);
    expect(again.request).toEqual({ ...first.request, promptOptimizer: false });
    expect((await h.waitFor(again.id)).state).toBe('done');
    const bodies = h.sim.creates().map((r) => r.body as Record<string, unknown>);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]!['first_frame_image']).toBe(bodies[0]!['first_frame_image']);
    expect(bodies[1]!['prompt_optimizer']).toBe(false);
  });

  it('refuses an invalid request before any call to MiniMax', async () => {
    const h = await harness();
    await h.engine.start();
    await expect(h.engine.submit({ prompt: '' }, originOf())).rejects.toThrow();
    expect(h.sim.requests).toHaveLength(0);
  });

  it("lists a user's unfinished jobs in status", async () => {
    const h = await harness({ sim: SLOW });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'status' }, originOf('A'));
    await h.waitFor(job.id, ['generating']);
    const status = await h.engine.status('cli', 'A');
    expect(status.active.map((j) => j.id)).toEqual([job.id]);
    expect(status.remainingToday).toBeUndefined();
    expect(status.resetsAt).toBeGreaterThan(Date.now());
    expect((await h.engine.status('cli', 'B')).active).toEqual([]);
  });

  it('keeps the task id of a create that was in flight when the job was cancelled', async () => {
    const h = await harness({ sim: SLOW });
    h.sim.inject({ route: 'create', kind: 'delay', ms: 200 });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'cancel mid-create' }, originOf('A'));
    await h.waitFor(job.id, ['submitting']);
    expect(await h.engine.cancel(job.id, 'A')).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 350));
    const cancelled = await h.engine.get(job.id);
    expect(cancelled?.state).toBe('cancelled');
    expect(cancelled?.taskId).toBe([...h.sim.tasks.keys()][0]);
    expect(h.sim.queries()).toHaveLength(0);
  });

  it('asks the policy before storing a job and counts the accepted ones', async () => {
    const h = await harness({
      env: { USER_DAILY_LIMIT: '1' },
      policy: (store, config, clock, ledger) =>
        createSubmitPolicy({ config, store, ledger, clock }),
    });
    h.engine.registerDeliverer('discord', { deliver: async () => ({}) });
    await h.engine.start();
    const origin = { ...originOf('A'), platform: 'discord' as const, workspaceId: 'g1' };
    const job = await h.engine.submit({ prompt: 'first' }, origin);
    await expect(h.engine.submit({ prompt: 'second' }, origin)).rejects.toBeInstanceOf(PolicyError);
    expect((await h.engine.status('discord', 'A')).remainingToday).toBe(0);
    await h.waitFor(job.id);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('keeps a chat job waiting in uploading when its adapter does not run in this process', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit(
      { prompt: 'for slack' },
      { ...originOf('A'), platform: 'slack' },
    );
    await vi.waitFor(async () => expect((await h.engine.get(job.id))?.state).toBe('uploading'), {
      timeout: 10_000,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await h.engine.get(job.id))?.state).toBe('uploading');
    expect(h.sim.creates()).toHaveLength(1);
  });
});
