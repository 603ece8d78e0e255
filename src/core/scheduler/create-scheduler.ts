import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import { type Config, storeUrlOf } from '../config.js';
import { FairScheduler } from '../scheduler.js';
import { BullmqScheduler, type BullmqSchedulerOptions } from './bullmq-scheduler.js';
import { createMemoryQueryGate, type QueryGate } from './query-gate.js';
import { CreateWindowGate } from './rate-gate.js';
import { createRedisQueryGate } from './redis-query-gate.js';
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
  /** The MINIMAX_QPS cap on status queries, shared by every instance in Redis mode. */
  queryGate: QueryGate;
  /** `in-process` (one instance) or `redis` (BullMQ, many instances). */
  kind: 'in-process' | 'redis';
  /** Call after the engine stopped: lets running jobs hand back, then closes Redis connections. */
  close(): Promise<void>;
}

/**
 * The scheduler STORE_URL calls for: with `redis://` / `rediss://`, BullMQ plus a Redis create
 * gate so that MAX_ACTIVE_JOBS, MINIMAX_RPM and MINIMAX_QPS hold across every instance; otherwise
 * the in-process FairScheduler and gates. Pass `scheduler` to the JobEngine and call `close()` after it stopped.
 */
export async function createScheduler(
  config: Config,
  deps: SchedulerDeps,
): Promise<SchedulerBundle> {
  const clock = deps.clock ?? systemClock;
  // A create can reach MiniMax until its request times out; the margin covers a busy event loop.
  const maxCreateMs = config.MINIMAX_TIMEOUT_S * 1000 + 30_000;
  const url = storeUrlOf(config);
  if (!/^rediss?:/.test(url)) {
    const scheduler = new FairScheduler({
      clock,
      logger: deps.logger,
      maxActive: config.MAX_ACTIVE_JOBS,
      createsPerMinute: config.MINIMAX_RPM,
      gate: new CreateWindowGate({ perMinute: config.MINIMAX_RPM, clock, maxCreateMs }),
    });
    const queryGate = createMemoryQueryGate(config.MINIMAX_QPS, clock);
    return { scheduler, queryGate, kind: 'in-process', close: async () => {} };
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
    maxCreateMs,
  });
  const queryGate = createRedisQueryGate({
    redis,
    perSecond: config.MINIMAX_QPS,
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
    queryGate,
    kind: 'redis',
    close: async () => {
      await scheduler.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
