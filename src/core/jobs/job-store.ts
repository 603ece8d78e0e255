import { BotError } from '../errors.js';
import type { CheckedImage, ImageSlot } from '../request-types.js';
import type { Job, JobState } from './job.js';

/**
 * Durable job records (SPEC §1.2) with compare-and-set: every record carries a `version`, a write
 * succeeds only against the version it read, and a record in a terminal state never changes
 * again. Two adapters: better-sqlite3 (embedded, several processes may share one file) and
 * Redis (Lua scripts, many instances). Every write is durable when its promise resolves.
 */
export interface JobStore {
  get(id: string): Promise<Job | undefined>;
  /** Stores a new record at version 1; JobConflictError when the id exists. */
  insert(job: Job): Promise<Job>;
  /**
   * Writes `next` if the stored record still has `next.version` and either is not terminal or
   * keeps its terminal state (a finished job may gain fields, never another state), and, with a
   * fence, the job's claim is still `fence`; returns it at the next version. Otherwise throws
   * JobConflictError carrying the stored record, so the writer can re-read and decide again.
   */
  replace(next: Job, fence?: Fence): Promise<Job>;
  /** Every job not in a terminal state, oldest first (resume after restart, takeover). */
  listActive(): Promise<Job[]>;
  /** Jobs of one user, newest first (status commands). */
  listByUser(platform: string, userId: string, limit?: number): Promise<Job[]>;
  /** Jobs of one team (Discord guild, Slack workspace), newest first (the dashboard). */
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
  /** Small shared key-value space (learned durations, dedupe maps); entries may expire. */
  getValue<T>(key: string): Promise<T | undefined>;
  setValue<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /** Who works on a job: one process (or instance) at a time, see Claims. */
  readonly claims: Claims;
  /**
   * Drops what has expired: finished records older than the retention, keys past their TTL,
   * claims long expired. Returns how many entries went. (Redis expires keys by itself.)
   */
  sweep(): Promise<number>;
  /** Rows or keys the store holds now (soak test, metrics). */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** A claim's holder and its fencing token (grows by one on every change of holder). */
export interface Fence {
  owner: string;
  token: number;
}

/**
 * Per-job leases. A process claims a job before it runs any step of it and renews its claims
 * while alive; a claim whose lease ran out may be taken by another process, which gets a higher
 * token. Writes made with the old token are refused (`replace(next, fence)`), so a paused or
 * cut-off process cannot post a result after someone else took its job over.
 */
export interface Claims {
  /**
   * Takes the claim when free, expired or already `owner`'s; the fence, or undefined when another
   * process holds it or the job does not exist. With `replacing`, a live claim held by exactly
   * that fence is taken too (its holder is known to be dead, see ClaimKeeper).
   */
  take(
    jobId: string,
    owner: string,
    leaseMs: number,
    replacing?: Fence,
  ): Promise<Fence | undefined>;
  /** The live holder of a job's claim, if any (so a caller can tell a dead holder apart). */
  holder(jobId: string): Promise<Fence | undefined>;
  /** Extends every claim of `owner`; returns how many it still holds. */
  renew(owner: string, leaseMs: number): Promise<number>;
  release(jobId: string, owner: string): Promise<void>;
  /** Whether `fence` still holds the claim (checked before every side effect). */
  holds(jobId: string, fence: Fence): Promise<boolean>;
}

export type JobStateCounts = Record<JobState, number>;

/** Finished records stay this long (status commands, dashboard, dedupe of late clicks). */
export const FINISHED_RETENTION_MS = 90 * 24 * 3600_000;

/** A compare-and-set write lost: someone else wrote first, or the job already ended. */
export class JobConflictError extends BotError {
  override name = 'JobConflictError';
  constructor(
    readonly jobId: string,
    /** The stored record (undefined when it no longer exists). */
    readonly current: Job | undefined,
    readonly reason: 'version' | 'final' | 'fence' | 'exists' | 'missing',
  ) {
    super({ code: 'job_conflict', textKey: 'internal', message: `job ${jobId}: ${reason}` });
  }
}
