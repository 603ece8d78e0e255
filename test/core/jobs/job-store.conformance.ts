import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../../src/core/jobs/job.js';
import { type Fence, JobConflictError, type JobStore } from '../../../src/core/jobs/job-store.js';
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

    it('gives back an inserted job exactly as it was inserted, at version 1', async () => {
      const job = makeJob({ taskId: '106916112212032', reason: 'created' });
      const stored = await store.insert(job);
      expect(stored).toEqual({ ...job, version: 1 });
      expect(await store.get(job.id)).toEqual({ ...job, version: 1 });
    });

    it('refuses to insert a job id twice', async () => {
      const job = makeJob();
      await store.insert(job);
      await expect(store.insert({ ...job, state: 'generating' })).rejects.toMatchObject({
        reason: 'exists',
      });
      expect(await store.get(job.id)).toMatchObject({ state: 'queued', version: 1 });
    });

    it('replaces a record against the version it read and bumps the version', async () => {
      const v1 = await store.insert(makeJob());
      const v2 = await store.replace({ ...v1, state: 'generating', pollCount: 3 });
      expect(v2.version).toBe(2);
      expect(await store.get(v1.id)).toMatchObject({
        state: 'generating',
        pollCount: 3,
        version: 2,
      });
    });

    it('refuses a write made against a stale version and hands back the stored record', async () => {
      const v1 = await store.insert(makeJob());
      await store.replace({ ...v1, state: 'cancelled' });
      const stale = store.replace({ ...v1, state: 'generating', pollCount: 9 });
      await expect(stale).rejects.toBeInstanceOf(JobConflictError);
      const err = (await stale.catch((e: unknown) => e)) as JobConflictError;
      expect(err.current).toMatchObject({ state: 'cancelled', version: 2 });
      expect(await store.get(v1.id)).toMatchObject({ state: 'cancelled', version: 2 });
    });

    it('lets exactly one of many writers holding the same version win', async () => {
      const v1 = await store.insert(makeJob());
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.replace({ ...v1, pollCount: i + 1 })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect((await store.get(v1.id))?.version).toBe(2);
    });

    it('never lets a terminal state be left, though a finished record may gain fields', async () => {
      for (const state of ['done', 'failed', 'cancelled', 'expired'] as const) {
        const v1 = await store.insert(makeJob());
        const ended = await store.replace({ ...v1, state });
        await expect(store.replace({ ...ended, state: 'generating' })).rejects.toMatchObject({
          reason: 'final',
        });
        const gained = await store.replace({ ...ended, videoPath: '/videos/x.mp4' });
        expect(gained).toMatchObject({ state, videoPath: '/videos/x.mp4', version: 3 });
      }
    });

    it('refuses to replace a job it never stored', async () => {
      await expect(store.replace({ ...makeJob(), version: 1 })).rejects.toMatchObject({
        reason: 'missing',
      });
    });

    it('lists only jobs that are not in a terminal state', async () => {
      const states: JobState[] = ['queued', 'generating', 'uploading', 'done', 'failed', 'expired'];
      const jobs = states.map((state) => makeJob({ state }));
      for (const job of jobs) await store.insert(job);
      const active = await store.listActive();
      expect(active.map((j) => j.state).sort()).toEqual(['generating', 'queued', 'uploading']);
    });

    it('drops a job from the active list once it finishes', async () => {
      const job = await store.insert(makeJob({ state: 'generating' }));
      expect((await store.listActive()).map((j) => j.id)).toEqual([job.id]);
      await store.replace({ ...job, state: 'done' });
      expect(await store.listActive()).toEqual([]);
    });

    it('keeps every job in the active list when many are inserted at once', async () => {
      const jobs = Array.from({ length: 40 }, () => makeJob());
      await Promise.all(jobs.map((j) => store.insert(j)));
      const ids = (await store.listActive()).map((j) => j.id).sort();
      expect(ids).toEqual(jobs.map((j) => j.id).sort());
    });

    it("lists a user's jobs newest first, up to the limit", async () => {
      const mine = [1, 3, 2].map((n) =>
        makeJob({ createdAt: n * 1000, origin: { ...makeJob().origin, userId: 'alice' } }),
      );
      for (const job of mine) await store.insert(job);
      await store.insert(makeJob({ origin: { ...makeJob().origin, userId: 'bob' } }));
      await store.insert(
        makeJob({ origin: { ...makeJob().origin, platform: 'slack', userId: 'alice' } }),
      );
      const listed = await store.listByUser('discord', 'alice', 2);
      expect(listed.map((j) => j.createdAt)).toEqual([3000, 2000]);
      expect(await store.listByUser('discord', 'carol')).toEqual([]);
    });

    it("lists a team's jobs newest first, and no other team's", async () => {
      const origin = (workspaceId: string, userId: string) => ({
        ...makeJob().origin,
        workspaceId,
        userId,
      });
      await store.insert(makeJob({ createdAt: 1000, origin: origin('g1', 'a') }));
      await store.insert(makeJob({ createdAt: 3000, origin: origin('g1', 'b') }));
      await store.insert(makeJob({ createdAt: 2000, origin: origin('g2', 'a') }));
      const g1 = await store.listByTeam('discord', 'g1');
      expect(g1.map((j) => [j.createdAt, j.origin.userId])).toEqual([
        [3000, 'b'],
        [1000, 'a'],
      ]);
      expect(await store.listByTeam('slack', 'g1')).toEqual([]);
    });

    it('lists a job once per user even after several writes', async () => {
      const v1 = await store.insert(makeJob({ origin: { ...makeJob().origin, userId: 'dave' } }));
      const v2 = await store.replace({ ...v1, state: 'submitting' });
      await store.replace({ ...v2, state: 'failed' });
      const listed = await store.listByUser('discord', 'dave');
      expect(listed.map((j) => [j.id, j.state])).toEqual([[v1.id, 'failed']]);
    });

    it('lets one claimant hold a job, refuses others until the lease runs out', async () => {
      const { id } = await store.insert(makeJob());
      expect(await store.claims.take('no-such-job', 'A', 60)).toBeUndefined();
      const a = await store.claims.take(id, 'A', 60);
      expect(a).toEqual({ owner: 'A', token: 1 });
      expect(await store.claims.take(id, 'B', 60)).toBeUndefined();
      expect(await store.claims.take(id, 'A', 60)).toEqual({ owner: 'A', token: 1 });
      await sleep(150);
      const b = await store.claims.take(id, 'B', 60_000);
      expect(b).toEqual({ owner: 'B', token: 2 });
      expect(await store.claims.holds(id, a as Fence)).toBe(false);
      expect(await store.claims.holds(id, b as Fence)).toBe(true);
    });

    it('keeps renewed claims and frees released ones', async () => {
      const r1 = (await store.insert(makeJob())).id;
      const r2 = (await store.insert(makeJob())).id;
      await store.claims.take(r1, 'A', 100);
      await store.claims.take(r2, 'A', 100);
      expect(await store.claims.renew('A', 60_000)).toBe(2);
      await sleep(150);
      expect(await store.claims.take(r1, 'B', 60_000)).toBeUndefined();
      await store.claims.release(r1, 'A');
      // Tokens only grow, even across a release, so an old fence never becomes valid again.
      expect(await store.claims.take(r1, 'B', 60_000)).toEqual({ owner: 'B', token: 2 });
    });

    it('hands a live claim over only when the caller names its exact holder', async () => {
      const { id } = await store.insert(makeJob());
      const dead = (await store.claims.take(id, 'host:1:dead', 60_000)) as Fence;
      expect(await store.claims.holder(id)).toEqual(dead);
      expect(await store.claims.take(id, 'B', 60_000, { ...dead, token: 99 })).toBeUndefined();
      const b = await store.claims.take(id, 'B', 60_000, dead);
      expect(b).toEqual({ owner: 'B', token: dead.token + 1 });
      // A second replacer naming the same (now old) holder does not get it.
      expect(await store.claims.take(id, 'C', 60_000, dead)).toBeUndefined();
    });

    it('lets exactly one of many simultaneous claimants win', async () => {
      const { id } = await store.insert(makeJob());
      const fences = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.claims.take(id, `o${i}`, 60_000)),
      );
      expect(fences.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a write fenced by a claim that was taken over', async () => {
      const v1 = await store.insert(makeJob());
      const old = (await store.claims.take(v1.id, 'A', 50)) as Fence;
      const v2 = await store.replace({ ...v1, state: 'generating' }, old);
      await sleep(120);
      const fresh = (await store.claims.take(v1.id, 'B', 60_000)) as Fence;
      await expect(store.replace({ ...v2, state: 'done' }, old)).rejects.toMatchObject({
        reason: 'fence',
      });
      expect(await store.replace({ ...v2, state: 'done' }, fresh)).toMatchObject({ version: 3 });
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
      const job = await store.insert(makeJob({ state: 'generating', taskId: 't-1' }));
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
      const job = await other.insert(makeJob({ state: 'generating' }));
      expect((await store.listActive()).map((j) => j.id)).toEqual([job.id]);
    });
  });
}
