import type { CheckedImage, ImageSlot } from '../request-types.js';
import type { Job, JobState } from './job.js';

/**
 * Durable job records (SPEC §1.2). Two adapters: keyv on SQLite (default) and keyv on Redis.
 * Every write is durable when the promise resolves.
 */
export interface JobStore {
  get(id: string): Promise<Job | undefined>;
  /** Inserts or replaces the record. */
  save(job: Job): Promise<void>;
  /** Ids of every job not in a terminal state (for resume after restart). */
  listActive(): Promise<Job[]>;
  /** Jobs of one user, newest first (for /video status). */
  listByUser(platform: string, userId: string, limit?: number): Promise<Job[]>;
  /**
   * Jobs of one team (Discord guild, Slack workspace), newest first, at most `limit` (the team
   * dashboard's gallery and queue; keeps at least the newest 5,000 per team).
   */
  listByTeam(platform: string, workspaceId: string, limit?: number): Promise<Job[]>;
  /** Input images live apart from the record and are dropped once the task exists. */
  saveImages(jobId: string, images: Partial<Record<ImageSlot, CheckedImage>>): Promise<void>;
  loadImages(jobId: string): Promise<Partial<Record<ImageSlot, CheckedImage>>>;
  deleteImages(jobId: string): Promise<void>;
  /**
   * Remembers a key for `ttlMs` and answers whether it was new. Used to drop repeated platform
   * deliveries (Slack retries, double clicks) so one event makes one job.
   */
  remember(key: string, ttlMs: number): Promise<boolean>;
  /** Small shared key-value space for counters (quotas) and learned durations. */
  getValue<T>(key: string): Promise<T | undefined>;
  setValue<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type JobStateCounts = Record<JobState, number>;
