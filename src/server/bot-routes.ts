import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Job } from '../core/jobs/job.js';
import { createCallbackRoutes } from './callback-route.js';
import type { HttpRoute } from './http-route.js';
import type { Metrics } from './metrics.js';
import { createMetricsRoute } from './metrics-route.js';
import { createVideoRoute } from './video-route.js';

export interface BotRoutesOptions {
  config: Pick<Config, 'DATA_DIR' | 'VIDEO_LINK_TTL_H' | 'METRICS_TOKEN'>;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  /** Job lookup for video links: the VideoService or the JobStore. */
  jobs: { get(id: string): Promise<Job | undefined> };
  /** JobEngine.notifyTaskUpdate: query this task now. */
  onTaskHint: (taskId: string) => unknown;
  /** The per-bot callback secret (callback-secret.ts); without it no callback is ever proof. */
  callbackSecret?: string;
  /**
   * JobEngine.noteAuthenticCallback: a callback carrying the secret named this task. Only these
   * may stretch polling to its sparse safety net.
   */
  onAuthenticCallback?: (taskId: string) => unknown;
}

/**
 * The routes every bot serves besides /healthz and /readyz (which the server adds itself):
 * /metrics, /minimax/callback and /videos/<id>.mp4. Adapter routes (Slack's /slack/events) are
 * appended by the caller.
 */
export function createBotRoutes(options: BotRoutesOptions): HttpRoute[] {
  const { metrics } = options;
  return [
    createMetricsRoute(metrics, options.config.METRICS_TOKEN),
    ...createCallbackRoutes({
      logger: options.logger,
      onTaskHint: options.onTaskHint,
      onCallback: (kind) => metrics.recordCallback(kind),
      ...(options.callbackSecret ? { secret: options.callbackSecret } : {}),
      ...(options.onAuthenticCallback ? { onAuthentic: options.onAuthenticCallback } : {}),
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
