import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import {
  deleteNamespace,
  REDIS_URL,
  redisAvailable,
  uniqueNamespace,
} from '../core/scheduler/redis-test-env.js';
import { InstanceProcess } from './instance-process.js';

const available = await redisAvailable();

/** Two (or more) bot processes on one Redis namespace, one simulator and one DATA_DIR. */
class Cluster {
  readonly instances: InstanceProcess[] = [];
  private constructor(
    readonly sim: Simulator,
    readonly namespace: string,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string>): Promise<Cluster> {
    // Tasks run until the test finishes them, so every step is the test's to order.
    const sim = await createSimulator({
      apiKey: 'sim-multi-key',
      timelineMs: { preparing: 10, queueing: 10, processing: 600_000 },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'multi-instance-'));
    return new Cluster(sim, uniqueNamespace('multi'), dataDir, env);
  }

  async start(...names: string[]): Promise<InstanceProcess[]> {
    const started = await Promise.all(
      names.map((name) =>
        InstanceProcess.start(name, {
          MINIMAX_API_KEY: this.sim.apiKey,
          MINIMAX_BASE_URL: this.sim.url,
          STORE_URL: REDIS_URL,
          DATA_DIR: this.dataDir,
          POLL_MIN_S: '0.05',
          POLL_MAX_S: '0.2',
          TEST_NAMESPACE: this.namespace,
          // Short queue timings keep these tests quick; failover.test.ts uses the real ones.
          TEST_LOCK_MS: '1500',
          TEST_STALLED_MS: '500',
          ...this.env,
        }),
      ),
    );
    this.instances.push(...started);
    return started;
  }

  /** Job state as the shared store has it. */
  async stateOf(jobId: string): Promise<string | undefined> {
    const store = await openJobStore(REDIS_URL, { namespace: this.namespace });
    try {
      return (await store.get(jobId))?.state;
    } finally {
      await store.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()));
    await this.sim.stop();
    const redis = new Redis(REDIS_URL);
    await deleteNamespace(redis, this.namespace);
    await redis.quit();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

describe.skipIf(!available)('several instances on one Redis', () => {
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('shares the jobs submitted on one instance with the other, which also honours a cancel', async () => {
    cluster = await Cluster.create({ MAX_ACTIVE_JOBS: '4', TEST_CONCURRENCY: '2' });
    const [a, b] = await cluster.start('a', 'b');
    for (let i = 1; i <= 4; i++) a!.submit(`shared job ${i}`, `user${i}`);
    await vi.waitFor(() => expect(cluster!.sim.creates()).toHaveLength(4), { timeout: 10_000 });
    await vi.waitFor(() =>
      expect([...a!.createdJobs(), ...b!.createdJobs()].sort()).toEqual(a!.submitted().sort()),
    );
    // Each instance works on at most two at once, so both had to take some.
    expect(a!.createdJobs()).toHaveLength(2);
    expect(b!.createdJobs()).toHaveLength(2);
    // The requester cancels through instance A a job that B is running.
    const cancelled = b!.createdJobs()[0]!;
    a!.cancel(cancelled, a!.userOf(cancelled)!);
    await vi.waitFor(() => expect(a!.cancelOutcome(cancelled)).toBe('cancelled'));
    for (const taskId of cluster.sim.tasks.keys()) cluster.sim.finish(taskId);
    const others = a!.submitted().filter((id) => id !== cancelled);
    await vi.waitFor(
      () => expect([...a!.delivered(), ...b!.delivered()].sort()).toEqual(others.sort()),
      { timeout: 10_000 },
    );
    expect(b!.delivered()).toHaveLength(1);
    await vi.waitFor(async () => expect(await cluster!.stateOf(cancelled)).toBe('cancelled'));
  });

  it('keeps MINIMAX_RPM for both instances together', async () => {
    cluster = await Cluster.create({
      MINIMAX_RPM: '2',
      MAX_ACTIVE_JOBS: '10',
      TEST_CONCURRENCY: '3',
    });
    const [a, b] = await cluster.start('a', 'b');
    for (let i = 1; i <= 3; i++) a!.submit(`rated on a ${i}`, `ua${i}`);
    for (let i = 1; i <= 2; i++) b!.submit(`rated on b ${i}`, `ub${i}`);
    await vi.waitFor(() => expect([...a!.submitted(), ...b!.submitted()]).toHaveLength(5));
    await vi.waitFor(() => expect(cluster!.sim.creates()).toHaveLength(2), { timeout: 10_000 });
    // The next create may only come 60 s after the first; nothing else may slip through.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(cluster.sim.creates()).toHaveLength(2);
    const states = await Promise.all(
      [...a!.submitted(), ...b!.submitted()].map((id) => cluster!.stateOf(id)),
    );
    expect(states.filter((s) => s === 'queued')).toHaveLength(3);
    expect(states.filter((s) => s === 'generating')).toHaveLength(2);
  });

  it('finishes the job of a killed instance on the other, with one create', async () => {
    cluster = await Cluster.create({ MAX_ACTIVE_JOBS: '2' });
    const [a, b] = await cluster.start('a', 'b');
    a!.submit('survives a crash');
    const creator = () => [a!, b!].find((i) => i.createdJobs().length > 0);
    await vi.waitFor(() => expect(creator()).toBeDefined(), { timeout: 10_000 });
    const victim = creator()!;
    const survivor = victim === a ? b! : a!;
    const jobId = victim.createdJobs()[0]!;
    await victim.kill();
    cluster.sim.finish([...cluster.sim.tasks.keys()][0]!);
    await vi.waitFor(() => expect(survivor.delivered()).toEqual([jobId]), { timeout: 10_000 });
    expect(cluster.sim.creates()).toHaveLength(1);
    expect(survivor.createdJobs()).toEqual([]);
    expect(existsSync(join(cluster.dataDir, 'videos', `${jobId}.mp4`))).toBe(true);
    expect(await cluster.stateOf(jobId)).toBe('done');
  });
});
