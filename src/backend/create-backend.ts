import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Config, storeUrlOf } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { JobStore } from '../core/jobs/job-store.js';
import { RedisJobStore } from '../core/jobs/redis-job-store.js';
import { SqliteJobStore } from '../core/jobs/sqlite-job-store.js';
import { type LeaderLock, RedisLeaderLock, SoleLeader } from '../core/leader-lock.js';
import type { QuotaLedger } from '../core/policy/quota-ledger.js';
import { RedisQuotaLedger } from '../core/policy/redis-quota-ledger.js';
import { SqliteQuotaLedger } from '../core/policy/sqlite-quota-ledger.js';
import {
  BullmqScheduler,
  type BullmqSchedulerOptions,
} from '../core/scheduler/bullmq-scheduler.js';
import { FairScheduler } from '../core/scheduler/fair-scheduler.js';
import { createMemoryQueryGate, type QueryGate } from '../core/scheduler/query-gate.js';
import { CreateWindowGate } from '../core/scheduler/rate-gate.js';
import { createRedisQueryGate } from '../core/scheduler/redis-query-gate.js';
import { RedisRateGate } from '../core/scheduler/redis-rate-gate.js';
import type { RateGate, TaskScheduler } from '../core/scheduler/task-scheduler.js';
import { openEmbeddedDatabase } from './open-job-store.js';
import { type StoreLocation, storeLocationOf } from './store-location.js';

const DAY_MS = 86_400_000;

/** BullMQ timings (lock, stalled check, refresh); tests shorten them. */
export type QueueTuning = Pick<
  BullmqSchedulerOptions,
  | 'lockDurationMs'
  | 'stalledIntervalMs'
  | 'positionsRefreshMs'
  | 'closeGraceMs'
  | 'concurrencyPerInstance'
>;

export interface BackendOptions {
  /** Key prefix in Redis, shared by every instance of one bot. Default `mvb`. */
  namespace?: string;
  /**
   * Take jobs from the shared queue in Redis mode. Default true. `false` (generate) gives an
   * in-process queue that still honours the shared create gate, so the process runs only its
   * own job and never picks up chat jobs it cannot deliver.
   */
  sharedQueue?: boolean;
  queueTuning?: QueueTuning;
  /** A store the caller opened and closes itself (tests). */
  store?: JobStore;
}

export interface BackendDeps extends BackendOptions {
  logger: Logger;
  clock: Clock;
}

/**
 * Every port whose implementation depends on where the state lives: embedded (SQLite/memory,
 * one process) or Redis (many instances). Ports added later (quota ledger, query gate) belong
 * here too, built over the same connection.
 */
export interface Backend {
  readonly kind: 'embedded' | 'redis';
  readonly store: JobStore;
  /** Fair order, MAX_ACTIVE_JOBS and the create gate of MINIMAX_RPM. */
  readonly scheduler: TaskScheduler;
  readonly createGate: RateGate;
  /** The MINIMAX_QPS cap on status queries, one budget for every instance in Redis mode. */
  readonly queryGate: QueryGate;
  /** Quota and budget holds, atomic across every instance that shares the store. */
  readonly ledger: QuotaLedger;
  /** Who runs a one-per-bot part (e.g. `discord-gateway`); start it before what it guards. */
  leaderLock(name: string): LeaderLock;
  /** After the engine stopped: lets running jobs hand back, closes the store and connections. */
  close(): Promise<void>;
}

/**
 * The one backend choice of the bot (STYLE §1), made from STORE_URL: `redis://`/`rediss://`
 * gives the Redis job store, BullMQ, the Redis gates, ledger and leader locks over one ioredis
 * client (BullMQ opens its own blocking connections);
 * anything else the embedded store with the in-process FairScheduler. Only `createApp` calls it.
 */
export async function createBackend(config: Config, deps: BackendDeps): Promise<Backend> {
  const location = storeLocationOf(storeUrlOf(config));
  const backend =
    location.kind === 'redis'
      ? await redisBackend(config, location.url, deps)
      : await embeddedBackend(config, location, deps);
  let closing: Promise<void> | undefined;
  // Closing twice (a failed start, then stop) must not close connections twice.
  return { ...backend, close: () => (closing ??= backend.close()) };
}

async function embeddedBackend(
  config: Config,
  location: StoreLocation,
  deps: BackendDeps,
): Promise<Backend> {
  // One database for the job store and the quota ledger, so both share its transactions.
  const db = openEmbeddedDatabase(location);
  const store =
    deps.store ??
    new SqliteJobStore({
      db,
      now: () => deps.clock.now(),
      retentionMs: config.JOB_RETENTION_D * DAY_MS,
    });
  const scheduler = new FairScheduler({
    clock: deps.clock,
    logger: deps.logger,
    maxActive: config.MAX_ACTIVE_JOBS,
    createsPerMinute: config.MINIMAX_RPM,
    gate: new CreateWindowGate({
      perMinute: config.MINIMAX_RPM,
      clock: deps.clock,
      maxCreateMs: maxCreateMsOf(config),
    }),
  });
  return {
    kind: 'embedded',
    store,
    scheduler,
    createGate: scheduler.createGate,
    queryGate: createMemoryQueryGate(config.MINIMAX_QPS, deps.clock),
    ledger: new SqliteQuotaLedger({ db }),
    leaderLock: () => new SoleLeader(),
    close: async () => {
      if (!deps.store) await store.close();
      db.close();
    },
  };
}

async function redisBackend(config: Config, url: string, deps: BackendDeps): Promise<Backend> {
  const { clock } = deps;
  const logger = deps.logger.child({ component: 'redis' });
  const namespace = deps.namespace ?? 'mvb';
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', (err: unknown) => logger.warn({ err }, 'redis connection error'));
  await redis.connect();
  const quit = () =>
    redis.quit().then(
      () => undefined,
      () => redis.disconnect(),
    );
  const store: JobStore =
    deps.store ??
    new RedisJobStore({ redis, namespace, retentionMs: config.JOB_RETENTION_D * DAY_MS });
  const gate = new RedisRateGate({
    redis,
    perMinute: config.MINIMAX_RPM,
    clock,
    logger: deps.logger,
    namespace,
    maxCreateMs: maxCreateMsOf(config),
  });
  const queryGate = createRedisQueryGate({
    redis,
    perSecond: config.MINIMAX_QPS,
    clock,
    logger: deps.logger,
    namespace,
  });
  const scheduler: TaskScheduler & { close?: () => Promise<void> } =
    deps.sharedQueue === false
      ? new FairScheduler({
          clock,
          logger: deps.logger,
          maxActive: config.MAX_ACTIVE_JOBS,
          createsPerMinute: config.MINIMAX_RPM,
          gate,
        })
      : new BullmqScheduler({
          // BullMQ needs its own connections (blocking reads); same URL, same settings.
          connection: { url },
          clock,
          logger: deps.logger,
          maxActive: config.MAX_ACTIVE_JOBS,
          gate,
          namespace,
          ...deps.queueTuning,
        });
  return {
    kind: 'redis',
    store,
    scheduler,
    createGate: gate,
    queryGate,
    ledger: new RedisQuotaLedger({ redis, namespace }),
    leaderLock: (name) =>
      new RedisLeaderLock({ redis, clock, logger: deps.logger, name, namespace }),
    close: async () => {
      await scheduler.close?.();
      await quit();
    },
  };
}

/** A create can reach MiniMax until its request times out; the margin covers a busy event loop. */
function maxCreateMsOf(config: Config): number {
  return config.MINIMAX_TIMEOUT_S * 1000 + 30_000;
}
