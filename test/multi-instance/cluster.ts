import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openJobStore } from '../../src/backend/open-job-store.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { deleteNamespace, REDIS_URL, uniqueNamespace } from '../core/scheduler/redis-test-env.js';
import { InstanceProcess } from './instance-process.js';

/**
 * Two (or more) bot processes on one simulator and one DATA_DIR, sharing one Redis namespace or
 * (`store: 'sqlite'`) the embedded store file in that DATA_DIR.
 */
export class Cluster {
  readonly instances: InstanceProcess[] = [];
  private constructor(
    readonly sim: Simulator,
    readonly namespace: string,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly storeUrl: string,
  ) {}

  /** `quickFailover` (default) shortens the queue's lock timings so kill tests run fast. */
  static async create(
    env: Record<string, string>,
    {
      quickFailover = true,
      store = 'redis',
      timelineMs = { preparing: 10, queueing: 10, processing: 600_000 },
    }: {
      quickFailover?: boolean;
      store?: 'redis' | 'sqlite';
      timelineMs?: { preparing: number; queueing: number; processing: number };
    } = {},
  ): Promise<Cluster> {
    // By default tasks run until the test finishes them, so every step is the test's to order.
    const sim = await createSimulator({ apiKey: 'sim-multi-key', timelineMs });
    const dataDir = await mkdtemp(join(tmpdir(), 'multi-instance-'));
    const timings: Record<string, string> = quickFailover
      ? { TEST_LOCK_MS: '1500', TEST_STALLED_MS: '500' }
      : {};
    const storeUrl = store === 'redis' ? REDIS_URL : `sqlite://${join(dataDir, 'bot.sqlite')}`;
    return new Cluster(sim, uniqueNamespace('multi'), dataDir, { ...timings, ...env }, storeUrl);
  }

  async start(...names: string[]): Promise<InstanceProcess[]> {
    const started = await Promise.all(
      names.map((name) =>
        InstanceProcess.start(name, {
          MINIMAX_API_KEY: this.sim.apiKey,
          MINIMAX_BASE_URL: this.sim.url,
          STORE_URL: this.storeUrl,
          DATA_DIR: this.dataDir,
          POLL_MIN_S: '0.05',
          POLL_MAX_S: '0.2',
          TEST_NAMESPACE: this.namespace,
          ...this.env,
        }),
      ),
    );
    this.instances.push(...started);
    return started;
  }

  /** Job state as the shared store has it. */
  async stateOf(jobId: string): Promise<string | undefined> {
    const store = await openJobStore(this.storeUrl, { namespace: this.namespace });
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
