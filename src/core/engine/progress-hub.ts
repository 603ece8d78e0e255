import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Job, JobState } from '../jobs/job.js';
import type { ProgressEvent, ProgressListener } from '../progress.js';

export interface ProgressHubOptions {
  clock: Clock;
  logger: Logger;
  /** Expected generation time of a job (create to Success), from past jobs; undefined if unknown. */
  estimateMs: (job: Job) => number | undefined;
}

/** Fans progress events out to adapters; a throwing listener never reaches the engine. */
export class ProgressHub {
  private readonly listeners = new Set<ProgressListener>();

  constructor(private readonly options: ProgressHubOptions) {}

  on(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(
    job: Job,
    kind: ProgressEvent['kind'],
    extra: { from?: JobState; queuePosition?: number } = {},
  ) {
    const at = this.options.clock.now();
    const event: ProgressEvent = {
      jobId: job.id,
      job,
      kind,
      state: job.state,
      elapsedMs: Math.max(0, at - job.createdAt),
      at,
      ...this.estimate(job, at),
    };
    if (extra.from !== undefined) event.from = extra.from;
    if (extra.queuePosition !== undefined) event.queuePosition = extra.queuePosition;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.options.logger.warn({ err, jobId: job.id }, 'progress listener threw');
      }
    }
  }

  private estimate(job: Job, at: number): Pick<ProgressEvent, 'estimatedRemainingMs' | 'fraction'> {
    if (job.state === 'done') return { estimatedRemainingMs: 0, fraction: 1 };
    if (job.state === 'downloading' || job.state === 'uploading') return { fraction: 0.99 };
    if (job.state !== 'queued' && job.state !== 'submitting' && job.state !== 'generating')
      return {};
    const expectedMs = this.options.estimateMs(job);
    if (!expectedMs || expectedMs <= 0) return {};
    if (job.state !== 'generating') return { estimatedRemainingMs: expectedMs, fraction: 0 };
    const spentMs = Math.max(0, at - (job.submittedAt ?? job.createdAt));
    return {
      estimatedRemainingMs: Math.max(0, expectedMs - spentMs),
      // Never a full bar before MiniMax says Success: the estimate is only a guess.
      fraction: Math.min(0.95, spentMs / expectedMs),
    };
  }
}
