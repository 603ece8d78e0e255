import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import type { JobEngine } from '../../../src/core/engine/job-engine.js';
import type { Job, JobOrigin, JobState } from '../../../src/core/jobs/job.js';
import type { JobStore } from '../../../src/core/jobs/job-store.js';
import { MinimaxHttpClient } from '../../../src/core/minimax/http-client.js';
import type { MinimaxClient } from '../../../src/core/minimax/types.js';
import type { ProgressEvent } from '../../../src/core/progress.js';
import { type App, type AppDeps, createApp } from '../../../src/main.js';
import { createSimulator } from '../../../src/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../../src/simulator/sim-types.js';

export const silentLogger = pino({ level: 'silent' });

export function originOf(userId = 'u1', channelId = 'c1'): JobOrigin {
  return { platform: 'cli', userId, channelId, ref: {} };
}

/** Largest number of timestamps inside any window [t, t + windowMs). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** A client wrapper that records the clock time of every create the engine sends. */
export function timeCreates(clock: Clock): {
  createdAt: number[];
  wrapClient: (client: MinimaxClient) => MinimaxClient;
} {
  const createdAt: number[] = [];
  const wrapClient = (client: MinimaxClient): MinimaxClient => ({
    createTask: (body, signal) => {
      createdAt.push(clock.now());
      return client.createTask(body, signal);
    },
    queryTask: (id, signal) => client.queryTask(id, signal),
    retrieveFile: (id, signal) => client.retrieveFile(id, signal),
  });
  return { createdAt, wrapClient };
}

/** Settings for a bot against the simulator: fast polls, no rate limit to wait on, short timeouts. */
export function simulatorEnv(
  sim: Pick<Simulator, 'apiKey' | 'url'>,
  dataDir: string,
): Record<string, string> {
  return {
    MINIMAX_API_KEY: sim.apiKey,
    MINIMAX_BASE_URL: sim.url,
    POLL_MIN_S: '0.01',
    POLL_MAX_S: '0.03',
    MINIMAX_RPM: '1000',
    MINIMAX_QPS: '1000',
    MINIMAX_TIMEOUT_S: '2',
    DATA_DIR: dataDir,
  };
}

export interface HarnessOptions {
  sim?: SimulatorOptions;
  env?: Record<string, string>;
  clock?: Clock;
  storeUrl?: string;
  /** Wraps the real client (e.g. to timestamp creates on a fake clock). */
  wrapClient?: (client: MinimaxClient) => MinimaxClient;
  /** Reuse a data dir (restart tests). */
  dataDir?: string;
  /** Reuse a simulator (restart tests). */
  simulator?: Simulator;
  /** More of what createApp lets a caller replace (deliverers, backend tuning...). */
  app?: AppDeps;
}

/**
 * A real engine over the simulator (real HTTP on 127.0.0.1), a real store and a temp DATA_DIR,
 * built by createApp as `serve` builds it, minus chat adapters and the HTTP server.
 */
export class EngineHarness {
  readonly events: ProgressEvent[] = [];
  private constructor(
    readonly sim: Simulator,
    readonly app: App,
    readonly dataDir: string,
    readonly ownsSim: boolean,
    readonly ownsDir: boolean,
  ) {
    app.service.onProgress((e) => this.events.push(e));
  }

  get engine(): JobEngine {
    return this.app.service;
  }

  get store(): JobStore {
    return this.app.store;
  }

  static async create(options: HarnessOptions = {}): Promise<EngineHarness> {
    const sim =
      options.simulator ??
      (await createSimulator({
        apiKey: 'sim-test-key',
        timelineMs: { preparing: 10, queueing: 10, processing: 30 },
        ...options.sim,
      }));
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'engine-test-')));
    const clock = options.clock ?? systemClock;
    const config = loadConfig({
      ...simulatorEnv(sim, dataDir),
      STORE_URL: options.storeUrl ?? 'memory://',
      ...options.env,
    });
    const http = new MinimaxHttpClient({
      baseUrl: config.MINIMAX_BASE_URL,
      apiKey: config.MINIMAX_API_KEY!,
      timeoutMs: config.MINIMAX_TIMEOUT_S * 1000,
      logger: silentLogger,
    });
    const app = await createApp(config, {
      clock,
      logger: silentLogger,
      client: options.wrapClient ? options.wrapClient(http) : http,
      adapters: false,
      httpServer: false,
      ...options.app,
      engine: { random: () => 0.5, ...options.app?.engine },
    });
    return new EngineHarness(sim, app, dataDir, !options.simulator, !options.dataDir);
  }

  /** Resolves with the job once it reaches one of `states` (by progress events, then the store). */
  waitFor(jobId: string, states: JobState[] = ['done', 'failed', 'cancelled', 'expired']) {
    return new Promise<Job>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`job ${jobId} did not reach ${states.join('/')}`));
      }, 10_000);
      const off = this.engine.onProgress((e) => {
        if (e.jobId === jobId && states.includes(e.state)) {
          clearTimeout(timer);
          off();
          resolve(e.job);
        }
      });
      void this.engine.get(jobId).then((job) => {
        if (job && states.includes(job.state)) {
          clearTimeout(timer);
          off();
          resolve(job);
        }
      });
    });
  }

  statesOf(jobId: string): JobState[] {
    return this.events.filter((e) => e.jobId === jobId && e.kind === 'state').map((e) => e.state);
  }

  /** Stops the engine and closes the store; keeps the simulator and data dir when shared. */
  async close(options: { keepSim?: boolean; keepDir?: boolean } = {}): Promise<void> {
    // Tests start the engine themselves (to register deliverers or seed first), so stop it here.
    await this.engine.stop();
    await this.app.stop();
    if (this.ownsSim && !options.keepSim) await this.sim.stop();
    if (this.ownsDir && !options.keepDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Gives a test its harness through the returned function and closes it after the test. */
export function useEngineHarness(): (options?: HarnessOptions) => Promise<EngineHarness> {
  let current: EngineHarness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => {
    current = await EngineHarness.create(options);
    return current;
  };
}
