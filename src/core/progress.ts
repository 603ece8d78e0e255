import type { Job, JobState } from './jobs/job.js';

/**
 * What adapters render. Emitted on every state change, queue-position change and poll (with a
 * fresh estimate); adapters decide how often to show it.
 */
export interface ProgressEvent {
  jobId: string;
  /** Snapshot of the job after the change. */
  job: Job;
  kind: 'state' | 'position' | 'poll';
  from?: JobState;
  state: JobState;
  /** 1-based position among queued jobs; only while queued. */
  queuePosition?: number;
  /** Since the job was created. */
  elapsedMs: number;
  /** Estimated time until done, learned from past jobs of the same model/resolution/duration. */
  estimatedRemainingMs?: number;
  /** 0..1, the share of the estimated total that has elapsed (for a bar). */
  fraction?: number;
  at: number;
}

export type ProgressListener = (event: ProgressEvent) => void;
