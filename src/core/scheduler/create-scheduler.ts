import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import { type Config, storeUrlOf } from '../config.js';
import { FairScheduler } from '../scheduler.js';
import { BullmqScheduler, type BullmqSchedulerOptions } from './bullmq-scheduler.js';
import { RedisRateGate } from './redis-rate-gate.js';
import type { TaskScheduler } from './task-scheduler.js';

export interface SchedulerDeps {
  logger: Logger;
  clock?: Clock;
  /** Key prefix in Redis, shared by every instance of one bot (and the job store). Default `mvb`. */
  namespace?: string;
  /** BullMQ timings (lock, stalled check, refresh); tests shorten them. */
  tuning?: Pick<
    BullmqSchedulerOptions,
    | 'lockDurationMs'
    | 'stalledIntervalMs'
    | 'positionsRefreshMs'
    | 'closeGraceMs'
    | 'concurrencyPerInstance'
  >;
}

export interface SchedulerBundle {
  scheduler: TaskScheduler;
  /** `in-process` (one instance) or `redis` (BullMQ, many instances). */
  kind: 'in-process' | 'redis';
  /** Call after the engine stopped: lets running jobs hand back, then closes Redis connections. */
  close(): Promise<void>;
}

/**
 * The scheduler STORE_URL calls for: with `redis://` / `rediss://`, BullMQ plus a Redis create
 * gate so that MAX_ACTIVE_JOBS and MINIMAX_RPM hold across every instance; otherwise the
 * in-process FairScheduler. Pass `scheduler` to the JobEngine and call `close()` after it stopped.
 */
export async function createScheduler(
  config: Config,
  deps: SchedulerDeps,
): Promise<SchedulerBundle> {
  const clock = deps.clock ?? systemClock;
  const url = storeUrlOf(config);
  if (!/^rediss?:/.test(url)) {
    const scheduler = new FairScheduler({
      clock,
      logger: deps.logger,
      maxActive: config.MAX_ACTIVE_JOBS,
      createsPerMinute: config.MINIMAX_RPM,
    });
    return { scheduler, kind: 'in-process', close: async () => {} };
  }
  const namespace = deps.namespace ?? 'mvb';
  const logger = deps.logger.child({ component: 'redis-scheduler' });
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error'));
  await redis.connect();
  const gate = new RedisRateGate({
    redis,
    perMinute: config.MINIMAX_RPM,
    clock,
    logger: deps.logger,
    namespace,
  });
  const scheduler = new BullmqScheduler({
    connection: { url },
    clock,
    logger: deps.logger,
    maxActive: config.MAX_ACTIVE_JOBS,
    gate,
    namespace,
    ...deps.tuning,
  });
  return {
    scheduler,
    kind: 'redis',
    close: async () => {
      await scheduler.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
