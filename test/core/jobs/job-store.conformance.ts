import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../../src/core/jobs/job.js';
import type { JobStore } from '../../../src/core/jobs/job-store.js';
import type { CheckedImage } from '../../../src/core/request-types.js';

export interface StoreHarness {
  /** Opens a store on the same underlying data each time it is called. */
  open(): Promise<JobStore>;
  /** True when a reopened store sees earlier writes (SQLite, Redis). */
  durable: boolean;
  /** True when several store instances may share the data (Redis). */
  shared: boolean;
  cleanup(): Promise<void>;
}

let seq = 0;
export function makeJob(overrides: Partial<Job> = {}): Job {
  seq += 1;
  return {
    id: `job-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    state: 'queued',
    request: {
      mode: 't2v',
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'a cat surfing [Tracking shot]',
      duration: 6,
      resolution: '768P',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    },
    origin: { platform: 'discord', userId: 'u1', channelId: 'c1', ref: { messageId: 'm1' } },
    createdAt: 1_700_000_000_000 + seq,
    updatedAt: 1_700_000_000_000 + seq,
    pollCount: 0,
    createAttempts: 0,
    ...overrides,
  };
}

const image = (fill: number): CheckedImage => ({
  bytes: Buffer.alloc(4096, fill),
  mime: 'image/png',
  width: 640,
  height: 480,
});

/** The JobStore contract, run against every adapter (STYLE §7). */
export function describeJobStoreConformance(name: string, makeHarness: () => StoreHarness): void {
  describe(`JobStore conformance: ${name}`, () => {
    let harness: StoreHarness;
    let store: JobStore;
    const opened: JobStore[] = [];
    const open = async () => {
      const s = await harness.open();
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      harness = makeHarness();
      store = await open();
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await harness.cleanup();
    });

    it('returns undefined for a job it never saw', async () => {
      expect(await store.get('nope')).toBeUndefined();
    });

    it('gives back a saved job exactly as it was saved', async () => {
      const job = makeJob({ taskId: '106916112212032', reason: 'created' });
      await store.save(job);
      expect(await store.get(job.id)).toEqual(job);
    });

    it('replaces a job on a second save', async () => {
      const job = makeJob();
      await store.save(job);
      await store.save({ ...job, state: 'generating', minimaxStatus: 'Processing', pollCount: 3 });
      expect(await store.get(job.id)).toMatchObject({ state: 'generating', pollCount: 3 });
    });

    it('lists only jobs that are not in a terminal state', async () => {
      const states: JobState[] = ['queued', 'generating', 'uploading', 'done', 'failed', 'expired'];
      const jobs = states.map((state) => makeJob({ state }));
      for (const job of jobs) await store.save(job);
      const active = await store.listActive();
      expect(active.map((j) => j.state).sort()).toEqual(['generating', 'queued', 'uploading']);
    });

    it('drops a job from the active list once it finishes', async () => {
      const job = makeJob({ state: 'generating' });
      await store.save(job);
      expect((await store.listActive()).map((j) => j.id)).toEqual([job.id]);
      await store.save({ ...job, state: 'done' });
      expect(await store.listActive()).toEqual([]);
    });

    it('keeps every job in the active list when many are saved at once', async () => {
      const jobs = Array.from({ length: 40 }, () => makeJob());
      await Promise.all(jobs.map((j) => store.save(j)));
      const ids = (await store.listActive()).map((j) => j.id).sort();
      expect(ids).toEqual(jobs.map((j) => j.id).sort());
    });

    it("lists a user's jobs newest first, up to the limit", async () => {
      const mine = [1, 3, 2].map((n) =>
        makeJob({ createdAt: n * 1000, origin: { ...makeJob().origin, userId: 'alice' } }),
      );
      for (const job of mine) await store.save(job);
      await store.save(makeJob({ origin: { ...makeJob().origin, userId: 'bob' } }));
      await store.save(
        makeJob({ origin: { ...makeJob().origin, platform: 'slack', userId: 'alice' } }),
      );
      const listed = await store.listByUser('discord', 'alice', 2);
      expect(listed.map((j) => j.createdAt)).toEqual([3000, 2000]);
      expect(await store.listByUser('discord', 'carol')).toEqual([]);
    });

    it('lists a job once per user even after several saves', async () => {
      const job = makeJob({ origin: { ...makeJob().origin, userId: 'dave' } });
      await store.save(job);
      await store.save({ ...job, state: 'submitting' });
      await store.save({ ...job, state: 'failed' });
      const listed = await store.listByUser('discord', 'dave');
      expect(listed.map((j) => [j.id, j.state])).toEqual([[job.id, 'failed']]);
    });

    it('stores images apart from the record and gives back the same bytes', async () => {
      await store.saveImages('j1', { first: image(1), last: image(2) });
      const loaded = await store.loadImages('j1');
      expect(Object.keys(loaded).sort()).toEqual(['first', 'last']);
      expect(loaded.first?.bytes.equals(image(1).bytes)).toBe(true);
      expect(loaded.last).toMatchObject({ mime: 'image/png', width: 640, height: 480 });
    });

    it('forgets images once they are deleted', async () => {
      await store.saveImages('j2', { subject: image(3) });
      await store.deleteImages('j2');
      expect(await store.loadImages('j2')).toEqual({});
    });

    it('remembers a key only once while it is fresh', async () => {
      expect(await store.remember('slack:evt:1', 60_000)).toBe(true);
      expect(await store.remember('slack:evt:1', 60_000)).toBe(false);
      expect(await store.remember('slack:evt:2', 60_000)).toBe(true);
    });

    it('lets exactly one of many simultaneous remember calls win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.remember('click:42', 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('accepts a remembered key again after its time to live', async () => {
      expect(await store.remember('short', 30)).toBe(true);
      await sleep(80);
      expect(await store.remember('short', 30)).toBe(true);
    });

    it('round-trips values and lets them expire', async () => {
      await store.setValue('duration:Hailuo|768P|6', { emaMs: 120_000, n: 3 });
      await store.setValue('quota:u1', 4, 30);
      expect(await store.getValue('duration:Hailuo|768P|6')).toEqual({ emaMs: 120_000, n: 3 });
      expect(await store.getValue('missing')).toBeUndefined();
      await sleep(80);
      expect(await store.getValue('quota:u1')).toBeUndefined();
    });

    it('can be closed twice', async () => {
      const s = await harness.open();
      await s.close();
      await expect(s.close()).resolves.toBeUndefined();
    });

    it('keeps jobs, images and values across a reopen when durable', async (ctx) => {
      if (!harness.durable) ctx.skip();
      const job = makeJob({ state: 'generating', taskId: 't-1' });
      await store.save(job);
      await store.saveImages(job.id, { first: image(7) });
      await store.setValue('k', 'v');
      await store.close();
      store = await open();
      expect(await store.get(job.id)).toEqual(job);
      expect((await store.listActive()).map((j) => j.id)).toEqual([job.id]);
      expect((await store.loadImages(job.id)).first?.bytes.equals(image(7).bytes)).toBe(true);
      expect(await store.getValue('k')).toBe('v');
    });

    it('lets only one of two store instances win remember when shared', async (ctx) => {
      if (!harness.shared) ctx.skip();
      const other = await open();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).remember('evt:9', 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('shows one instance the jobs another saved when shared', async (ctx) => {
      if (!harness.shared) ctx.skip();
      const other = await open();
      const job = makeJob({ state: 'generating' });
      await other.save(job);
      expect((await store.listActive()).map((j) => j.id)).toEqual([job.id]);
    });
  });
}
