import { isTerminal, type JobState } from '../core/jobs/job.js';
import type { ProgressEvent } from '../core/progress.js';
import type { VideoService } from '../core/video-service.js';
import type { Metrics } from './metrics.js';
import { codeLabel } from './metrics.js';

export interface BindMetricsOptions {
  service: Pick<VideoService, 'onProgress'>;
  metrics: Metrics;
}

/**
 * Feeds job metrics from progress events (the engine's one stream of truth). Any event kind
 * updates the state gauge, so jobs resumed after a restart are counted from their first poll.
 * Returns the unsubscribe function.
 */
export function bindMetrics(options: BindMetricsOptions): () => void {
  const { metrics } = options;
  const known = new Map<string, JobState>();

  const onEvent = (event: ProgressEvent) => {
    const { job } = event;
    const previous = known.get(event.jobId);
    if (previous !== event.state) {
      if (previous) metrics.jobs.dec({ state: previous });
      if (isTerminal(event.state)) known.delete(event.jobId);
      else {
        known.set(event.jobId, event.state);
        metrics.jobs.inc({ state: event.state });
      }
    }
    if (event.kind !== 'state') return;

    // A create refused for sure sends the job back to the queue; count only the first wait.
    if (event.from === 'queued' && event.state === 'submitting' && job.createAttempts === 0) {
      metrics.queueWaitSeconds.observe(((job.submittedAt ?? event.at) - job.createdAt) / 1000);
    }
    if (event.from === 'generating' && event.state === 'downloading' && job.submittedAt) {
      metrics.generationSeconds.observe(
        {
          model: job.request.model,
          resolution: job.request.resolution ?? 'default',
          duration: String(job.request.duration ?? 'default'),
        },
        (event.at - job.submittedAt) / 1000,
      );
    }
    if (!isTerminal(event.state)) return;

    metrics.jobsFinished.inc({ state: event.state });
    if (job.cost?.actual)
      metrics.spend.inc(
        {
          model: job.request.model,
          team: `${job.origin.platform}:${job.origin.workspaceId ?? 'direct'}`,
        },
        job.cost.actual,
      );
    metrics.jobDurationSeconds.observe(
      { state: event.state },
      Math.max(0, (job.finishedAt ?? event.at) - job.createdAt) / 1000,
    );
    if (job.taskId) metrics.pollsPerTask.observe(job.pollCount);
    if (event.state === 'failed') metrics.jobFailures.inc({ code: codeLabel(job.error?.code) });
    if (event.from === 'uploading') {
      metrics.deliveries.inc({
        platform: job.origin.platform,
        outcome: event.state === 'done' ? 'delivered' : 'failed',
      });
    }
  };

  return options.service.onProgress(onEvent);
}
