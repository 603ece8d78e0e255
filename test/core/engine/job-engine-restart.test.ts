import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../../src/backend/open-job-store.js';
import type { Job, JobState } from '../../../src/core/jobs/job.js';
import { MinimaxHttpClient } from '../../../src/core/minimax/http-client.js';
import { validateRequest } from '../../../src/core/request.js';
import { createSimulator } from '../../../src/simulator/index.js';
import type { Simulator } from '../../../src/simulator/sim-types.js';
import { EngineHarness, originOf, silentLogger } from './engine-harness.js';

describe('JobEngine restart', () => {
  let sim: Simulator;
  let dataDir: string;
  let storeUrl: string;
  const harnesses: EngineHarness[] = [];

  beforeEach(async () => {
    sim = await createSimulator({
      apiKey: 'sim-test-key',
      timelineMs: { preparing: 10, queueing: 10, processing: 300 },
    });
    dataDir = await mkdtemp(join(tmpdir(), 'engine-restart-'));
    storeUrl = `sqlite://${dataDir}/bot.sqlite`;
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close({ keepSim: true, keepDir: true });
    await sim.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function boot(env: Record<string, string> = {}): Promise<EngineHarness> {
    const h = await EngineHarness.create({ simulator: sim, dataDir, storeUrl, env });
    harnesses.push(h);
    return h;
  }

  /** Writes a job as a crashed process would have left it. */
  async function seed(state: JobState, fields: Partial<Job> = {}): Promise<Job> {
    const store = await openJobStore(storeUrl);
    const now = Date.now();
    const job: Job = {
      id: `seeded-${state}-${Math.random().toString(36).slice(2)}`,
      state,
      request: validateRequest({ prompt: 'left behind' }).request,
      origin: originOf(),
      createdAt: now - 1_000,
      updatedAt: now - 500,
      submittedAt: now - 900,
      pollCount: 0,
      createAttempts: 0,
      ...fields,
    };
    const stored = await store.insert(job);
    await store.close();
    return stored;
  }

  async function finishedTask(): Promise<{ taskId: string; fileId: string }> {
    const client = new MinimaxHttpClient({
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      timeoutMs: 2_000,
      logger: silentLogger,
    });
    const { taskId } = await client.createTask({ model: 'MiniMax-Hailuo-2.3', prompt: 'seed' });
    sim.finish(taskId);
    const info = await client.queryTask(taskId);
    return { taskId, fileId: info.fileId! };
  }

  it('keeps polling a generating job after a restart and finishes it with one create', async () => {
    const first = await boot();
    await first.engine.start();
    const job = await first.engine.submit({ prompt: 'survive a deploy' }, originOf());
    await first.waitFor(job.id, ['generating']);
    await first.close({ keepSim: true, keepDir: true });
    harnesses.splice(harnesses.indexOf(first), 1);

    const second = await boot();
    expect((await second.store.get(job.id))?.state).toBe('generating');
    await second.engine.start();
    const done = await second.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(sim.creates()).toHaveLength(1);
  });

  it('requeues a job whose create was never sent before the crash', async () => {
    const seeded = await seed('submitting');
    const h = await boot();
    await h.engine.start();
    const done = await h.waitFor(seeded.id);
    expect(done.state).toBe('done');
    expect(h.statesOf(seeded.id).slice(0, 2)).toEqual(['queued', 'submitting']);
    expect(sim.creates()).toHaveLength(1);
  });

  it('fails, without a second create, a job whose create may have been sent before the crash', async () => {
    const seeded = await seed('submitting', { createStartedAt: Date.now() - 800 });
    const h = await boot();
    await h.engine.start();
    const failed = await h.waitFor(seeded.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('create_outcome_unknown');
    expect(failed.error?.userMessage).toMatch(/nothing was resubmitted/);
    expect(sim.creates()).toHaveLength(0);
  });

  it('downloads again with a fresh link after a restart during downloading', async () => {
    const task = await finishedTask();
    const seeded = await seed('downloading', task);
    const h = await boot();
    await h.engine.start();
    const done = await h.waitFor(seeded.id);
    expect(done.state).toBe('done');
    expect(sim.requests.filter((r) => r.route === 'retrieve')).toHaveLength(1);
    expect(sim.creates()).toHaveLength(1);
  });

  it('puts queued jobs back in the queue in the order they were created', async () => {
    const older = await seed('queued', { createdAt: Date.now() - 5_000 });
    const newer = await seed('queued', { createdAt: Date.now() - 4_000 });
    // One slot, so dispatch order is observable rather than a race between two saves.
    const h = await boot({ MAX_ACTIVE_JOBS: '1' });
    const started: string[] = [];
    h.engine.onProgress((e) => {
      if (e.state === 'submitting') started.push(e.jobId);
    });
    await h.engine.start();
    await h.waitFor(newer.id);
    await h.waitFor(older.id);
    expect(started).toEqual([older.id, newer.id]);
  });

  it('hands a video to the deliverer again after a restart during uploading', async () => {
    const videoPath = join(dataDir, 'videos', 'seeded.mp4');
    await mkdir(join(dataDir, 'videos'), { recursive: true });
    await copyFile(new URL('../../../assets/sample.mp4', import.meta.url), videoPath);
    const seeded = await seed('uploading', {
      ...(await finishedTask()),
      origin: { ...originOf(), platform: 'discord', ref: { progressMessageId: 'p-1' } },
      videoPath,
    });
    const h = await boot();
    const delivered: Job[] = [];
    h.engine.registerDeliverer('discord', {
      deliver: async (job) => {
        delivered.push(job);
        return { ref: { videoMessageId: 'v-1' } };
      },
    });
    await h.engine.start();
    const done = await h.waitFor(seeded.id);
    expect(done.state).toBe('done');
    expect(delivered.map((j) => j.id)).toEqual([seeded.id]);
    expect(done.origin.ref).toEqual({ progressMessageId: 'p-1', videoMessageId: 'v-1' });
    expect(sim.requests.filter((r) => r.route === 'retrieve')).toHaveLength(0);
  });

  it('changes no job state when stopped and refuses new jobs while stopping', async () => {
    const h = await boot();
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'in flight' }, originOf());
    await h.waitFor(job.id, ['generating']);
    const before = h.events.length;
    await h.engine.stop();
    expect(h.events.slice(before).filter((e) => e.kind === 'state')).toEqual([]);
    expect((await h.store.get(job.id))?.state).toBe('generating');
    await expect(h.engine.submit({ prompt: 'late' }, originOf())).rejects.toThrow(/restarting/);
  });
});
