import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { Job } from '../core/jobs/job.js';
import { createCallbackRoute } from './callback-route.js';
import type { HttpRoute } from './http-route.js';
import type { Metrics } from './metrics.js';
import { createMetricsRoute } from './metrics-route.js';
import { createVideoRoute } from './video-route.js';

export interface BotRoutesOptions {
  config: Pick<Config, 'DATA_DIR' | 'VIDEO_LINK_TTL_H'>;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  /** Job lookup for video links: the VideoService or the JobStore. */
  jobs: { get(id: string): Promise<Job | undefined> };
  /** JobEngine.notifyTaskUpdate: query this task now. */
  onTaskHint: (taskId: string) => unknown;
  /** JobEngine.noteCallbackReceived: any well-formed callback proves callbacks reach us. */
  onCallbackSeen?: () => void;
}

/**
 * The routes every bot serves besides /healthz and /readyz (which the server adds itself):
 * /metrics, /minimax/callback and /videos/<id>.mp4. Adapter routes (Slack's /slack/events) are
 * appended by the caller.
 */
export function createBotRoutes(options: BotRoutesOptions): HttpRoute[] {
  const { metrics } = options;
  return [
    createMetricsRoute(metrics),
    createCallbackRoute({
      logger: options.logger,
      onTaskHint: options.onTaskHint,
      onCallback: (kind) => {
        metrics.recordCallback(kind);
        if (kind !== 'invalid') options.onCallbackSeen?.();
      },
    }),
    createVideoRoute({
      config: options.config,
      jobs: options.jobs,
      clock: options.clock,
      logger: options.logger,
      onServe: metrics.recordVideoLink,
    }),
  ];
}
