import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VideoJanitor } from '../../../src/core/engine/video-janitor.js';
import type { Job, JobState } from '../../../src/core/jobs/job.js';
import { silentLogger } from './engine-harness.js';

const HOUR = 3_600_000;

describe('VideoJanitor', () => {
  let dataDir: string;
  let now: number;
  const jobs = new Map<string, Job>();
  const clock = { now: () => now, sleep: async () => {} };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'janitor-'));
    await mkdir(join(dataDir, 'videos'));
    now = 1_000 * HOUR;
    jobs.clear();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  async function video(id: string, state: JobState | undefined, finishedAt: number) {
    if (state) jobs.set(id, { id, state, finishedAt, updatedAt: finishedAt } as Job);
    const path = join(dataDir, 'videos', `${id}.mp4`);
    await writeFile(path, 'mp4');
    await utimes(path, finishedAt / 1000, finishedAt / 1000);
  }

  async function part(name: string, touchedAt: number) {
    const path = join(dataDir, 'videos', name);
    await writeFile(path, 'partial');
    await utimes(path, touchedAt / 1000, touchedAt / 1000);
  }

  const janitor = (linkTtlH: number) =>
    new VideoJanitor({
      dataDir,
      jobs: { get: async (id) => jobs.get(id) },
      clock,
      logger: silentLogger,
      retentionMs: 24 * HOUR,
      linkTtlMs: linkTtlH * HOUR,
    });

  const left = async () => (await readdir(join(dataDir, 'videos'))).sort();

  it('removes finished videos past their retention and keeps the rest', async () => {
    await video('old-done', 'done', now - 25 * HOUR);
    await video('old-failed', 'failed', now - 30 * HOUR);
    await video('young-done', 'done', now - 2 * HOUR);
    await video('still-uploading', 'uploading', now - 100 * HOUR);
    await video('no-record-old', undefined, now - 48 * HOUR);
    await video('no-record-young', undefined, now - HOUR);
    expect(await janitor(0).sweep()).toBe(3);
    expect(await left()).toEqual(['no-record-young.mp4', 'still-uploading.mp4', 'young-done.mp4']);
  });

  it('never removes a video while its link still works', async () => {
    await video('linked', 'done', now - 25 * HOUR);
    expect(await janitor(72).sweep()).toBe(0);
    now += 48 * HOUR;
    expect(await janitor(72).sweep()).toBe(1);
    expect(await left()).toEqual([]);
  });

  it('removes stale .part files at start but leaves a download that is still writing', async () => {
    await part('.dead.mp4.abc.part', now - 10 * 60_000);
    await part('.live.mp4.def.part', now - 5_000);
    expect(await janitor(0).removeLeftovers()).toBe(1);
    expect(await left()).toEqual(['.live.mp4.def.part']);
  });
});
