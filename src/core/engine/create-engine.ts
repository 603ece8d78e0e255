import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import { type Config, ConfigError, storeUrlOf } from '../config.js';
import { createDurationEstimator } from '../duration-estimator.js';
import type { JobStore } from '../jobs/job-store.js';
import { createKeyvJobStore } from '../jobs/keyv-job-store.js';
import { type MinimaxCallInfo, MinimaxHttpClient } from '../minimax/http-client.js';
import type { MinimaxClient } from '../minimax/types.js';
import type { TaskScheduler } from '../scheduler.js';
import { type EnginePolicy, JobEngine } from './job-engine.js';

export interface EngineDeps {
  logger: Logger;
  clock?: Clock;
  /** Default: the store named by STORE_URL (SQLite in DATA_DIR), closed by `close()`. */
  store?: JobStore;
  /** Default: MinimaxHttpClient on MINIMAX_BASE_URL with MINIMAX_API_KEY. */
  client?: MinimaxClient;
  policy?: EnginePolicy;
  /** Full URL of the callback route (PUBLIC_URL + its path), when the server exposes one. */
  callbackUrl?: string;
  /** Metrics hook for the default client. */
  onMinimaxCall?: (info: MinimaxCallInfo) => void;
  /** Default: in-process FairScheduler (a BullMQ one for many instances). */
  scheduler?: TaskScheduler;
}

export interface EngineBundle {
  engine: JobEngine;
  store: JobStore;
  /** Stops the engine, then closes the store if this factory opened it. */
  close(): Promise<void>;
}

/** Builds a JobEngine from configuration; main.ts and the CLI share it. Call `engine.start()`. */
export async function createEngine(config: Config, deps: EngineDeps): Promise<EngineBundle> {
  const clock = deps.clock ?? systemClock;
  const ownsStore = !deps.store;
  const store =
    deps.store ?? (await createKeyvJobStore(storeUrlOf(config), { logger: deps.logger }));
  let client = deps.client;
  if (!client) {
    if (!config.MINIMAX_API_KEY) {
      if (ownsStore) await store.close();
      throw new ConfigError('MINIMAX_API_KEY is required to generate videos');
    }
    client = new MinimaxHttpClient({
      baseUrl: config.MINIMAX_BASE_URL,
      apiKey: config.MINIMAX_API_KEY,
      timeoutMs: config.MINIMAX_TIMEOUT_S * 1000,
      logger: deps.logger.child({ component: 'minimax' }),
      clock,
      ...(deps.onMinimaxCall ? { onCall: deps.onMinimaxCall } : {}),
    });
  }
  const estimator = await createDurationEstimator({ store, clock, logger: deps.logger });
  const engine = new JobEngine({
    config,
    store,
    client,
    clock,
    logger: deps.logger,
    estimator,
    dataDir: config.DATA_DIR,
    ...(deps.policy ? { policy: deps.policy } : {}),
    ...(deps.callbackUrl ? { callbackUrl: deps.callbackUrl } : {}),
    ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
  });
  return {
    engine,
    store,
    close: async () => {
      await engine.stop();
      if (ownsStore) await store.close();
    },
  };
}
