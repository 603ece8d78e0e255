import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Clock } from '../clock.js';
import type { Deliverer } from '../delivery.js';
import type { ImageKeeper } from '../jobs/image-keeper.js';
import type { Platform } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import type { MinimaxClient } from '../minimax/types.js';
import type { VideoRequest } from '../request-types.js';
import type { QueryGate } from '../scheduler/query-gate.js';
import type { RateGate } from '../scheduler/task-scheduler.js';
import type { ProgressHub } from './progress-hub.js';
import type { JobRecords } from './transition.js';

/** What the engine needs from the duration estimator (src/core/duration-estimator.ts). */
export interface Estimator {
  /** Expected create-to-Success time for this model/resolution/duration. */
  estimateMs(request: VideoRequest): number;
  record(request: VideoRequest, ms: number): unknown;
}

export type EngineConfig = Pick<
  Config,
  | 'MINIMAX_RPM'
  | 'MINIMAX_QPS'
  | 'MAX_ACTIVE_JOBS'
  | 'JOB_TIMEOUT_S'
  | 'POLL_MIN_S'
  | 'POLL_MAX_S'
  | 'PUBLIC_URL'
  | 'VIDEO_LINK_TTL_H'
  | 'VIDEO_RETENTION_H'
  | 'MAX_VIDEO_MB'
  | 'MIN_FREE_DISK_MB'
  | 'DEFAULT_MODEL'
>;

/** Shared collaborators of every step of a job run. */
export interface RunContext {
  config: EngineConfig;
  store: JobStore;
  /** Input images, apart from the store (files in embedded mode, capped in Redis). */
  images: ImageKeeper;
  client: MinimaxClient;
  clock: Clock;
  logger: Logger;
  estimator: Estimator;
  records: JobRecords;
  hub: ProgressHub;
  gate: RateGate;
  /** The account-wide cap on status queries (MINIMAX_QPS); every query and retrieve takes a slot. */
  queries: QueryGate;
  dataDir: string;
  callbackUrl?: string;
  deliverers: ReadonlyMap<Platform, Deliverer>;
  /** When a MiniMax callback last reached this process (epoch ms; 0 = never). */
  callbacks: { lastSeenAt: number };
  /** Source of jitter in [0, 1). */
  random: () => number;
}
