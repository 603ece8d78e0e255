import type { Job, JobOrigin, Platform } from './jobs/job.js';
import type { ProgressListener } from './progress.js';
import type { RawVideoRequest } from './request-types.js';

export interface SubmitOptions {
  /**
   * Idempotency key from the platform (interaction id, Slack event id, ...). Submitting the same
   * key twice returns the first job instead of making a second one.
   */
  dedupeKey?: string;
  /**
   * The hold `admit` took for this request. Without one, submit takes its own after validating.
   * Submit gives it back itself when it fails or returns an earlier job for the same dedupeKey.
   */
  ticket?: AdmissionTicket;
}

/** Quota held for one request before anything slow happens (see VideoService.admit). */
export interface AdmissionTicket {
  /** The id the job will have. */
  readonly jobId: string;
  /** Gives the hold back: the request goes no further. Safe to call more than once. */
  release(): Promise<void>;
}

export interface CancelOptions {
  /** Admin of the team the button was clicked in (or ADMIN_USERS). */
  isAdmin?: boolean;
  /** Where the button was clicked; a job of another platform or team answers `not_found`. */
  platform?: Platform;
  workspaceId?: string;
}

export type CancelOutcome = 'cancelled' | 'not_found' | 'not_allowed' | 'too_late';

export interface UserStatus {
  active: Job[];
  /** Videos finished in the last day that have a link (newest first), so none is out of reach. */
  recent?: Job[];
  /** Videos the user may still start today; undefined when unlimited. */
  remainingToday?: number;
  /** When the daily counters reset (epoch ms). */
  resetsAt: number;
}

/**
 * What adapters use: the one door into the core. Implemented by the job engine; adapters never
 * touch the store, scheduler or MiniMax client directly.
 */
export interface VideoService {
  /**
   * Decides every allowlist and quota that needs no images and holds one video of each quota,
   * atomically across instances (throws PolicyError with one sentence otherwise). Adapters call
   * it before fetching images or posting anything, then pass the ticket to submit/resubmit, or
   * release it when they stop before that.
   */
  admit(origin: JobOrigin): Promise<AdmissionTicket>;
  /**
   * Validates (throws InputError / PolicyError with a one-sentence userMessage, before any paid
   * call), stores the job as `queued` and enqueues it. Resolves once the job is durable.
   */
  submit(raw: RawVideoRequest, origin: JobOrigin, options?: SubmitOptions): Promise<Job>;
  /**
   * Makes a new job with the same request and images as `jobId` (Regenerate / Variations), or
   * with `upscale` the 2K re-render of a finished 768P MiniMax-H3 video ("Upscale to 2K").
   */
  resubmit(
    jobId: string,
    origin: JobOrigin,
    /** `vary`: a Variations job, differing from the source as core/variation.ts decides. */
    options?: SubmitOptions & { promptOptimizer?: boolean; vary?: boolean; upscale?: boolean },
  ): Promise<Job>;
  /** Only the requester (or an admin) may cancel; a job past generation cannot be cancelled. */
  cancel(jobId: string, byUserId: string, options?: CancelOptions): Promise<CancelOutcome>;
  get(jobId: string): Promise<Job | undefined>;
  status(platform: Platform, userId: string): Promise<UserStatus>;
  /** Lets the adapter persist platform data (message ids) into `job.origin.ref`. */
  updateOriginRef(jobId: string, patch: Record<string, unknown>): Promise<Job | undefined>;
  /** Subscribe to progress of every job; returns an unsubscribe function. */
  onProgress(listener: ProgressListener): () => void;
}
