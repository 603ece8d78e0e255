import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATES, TERMINAL_STATES } from '../core/jobs/job.js';
import type { CallbackKind } from './callback-route.js';
import type { VideoLinkOutcome } from './video-route.js';

/** What the MiniMax client reports after every call (its `onCall` hook). */
export interface MinimaxCallInfo {
  /** 'create' | 'query' | 'retrieve' | 'download', or the request path. */
  endpoint: string;
  ms: number;
  /** Undefined when no response arrived (connection error, timeout). */
  httpStatus?: number;
  /** `base_resp.status_code`, or the error class code when there was no body. */
  code?: number | string;
  ok: boolean;
}

export interface HttpResponseInfo {
  route: string;
  method: string;
  status: number;
  ms: number;
}

/**
 * The bot's Prometheus metrics on their OWN registry (never prom-client's global one, so two bots
 * in one process or in tests never collide). Labels hold only enums and numeric codes: no ids,
 * prompts, URLs or secrets.
 */
export interface Metrics {
  registry: Registry;
  /** Jobs this instance currently knows in each non-terminal state. */
  jobs: Gauge<'state'>;
  jobsFinished: Counter<'state'>;
  /** Money MiniMax bills, by model and team, in the price table's currency (issue #14). */
  spend: Counter<'model' | 'team'>;
  jobFailures: Counter<'code'>;
  queueWaitSeconds: Histogram<string>;
  jobDurationSeconds: Histogram<'state'>;
  generationSeconds: Histogram<'model' | 'resolution' | 'duration'>;
  pollsPerTask: Histogram<string>;
  deliveries: Counter<'platform' | 'outcome'>;
  minimaxRequestSeconds: Histogram<'endpoint' | 'outcome'>;
  minimaxRequests: Counter<'endpoint' | 'http_status' | 'code'>;
  minimaxErrors: Counter<'endpoint' | 'code'>;
  callbacks: Counter<'kind'>;
  videoLinks: Counter<'outcome'>;
  httpResponses: Counter<'route' | 'method' | 'status'>;
  /** New requests refused by a guard of the bot itself (reason `disk_low`). */
  requestsRefused: Counter<'reason'>;
  /** Free bytes in DATA_DIR at the last disk check. */
  dataDirFreeBytes: Gauge<string>;
  /** Pass as the MiniMax client's `onCall` hook. */
  recordMinimaxCall(call: MinimaxCallInfo): void;
  /** Pass as the callback route's `onCallback`. */
  recordCallback(kind: CallbackKind): void;
  /** Pass as the video route's `onServe`. */
  recordVideoLink(outcome: VideoLinkOutcome): void;
  /** Pass as the HTTP server's `onResponse`. */
  recordHttpResponse(info: HttpResponseInfo): void;
}

export interface CreateMetricsOptions {
  /** Also export process/Node.js metrics (RSS, event-loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  /** Prefix for the bot's own metric names. Default `videobot_`. */
  prefix?: string;
}

export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  const p = options.prefix ?? 'videobot_';
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const jobs = new Gauge({
    name: `${p}jobs`,
    help: 'Jobs in each non-terminal state, as seen by this instance',
    labelNames: ['state'] as const,
    registers,
  });
  for (const state of JOB_STATES) if (!TERMINAL_STATES.includes(state)) jobs.set({ state }, 0);

  const metrics: Metrics = {
    registry,
    jobs,
    spend: new Counter({
      name: 'videobot_spend_usd_total',
      help: 'What finished jobs cost at MiniMax, by model and team (price table currency, USD by default)',
      labelNames: ['model', 'team'],
      registers: [registry],
    }),
    jobsFinished: new Counter({
      name: `${p}jobs_finished_total`,
      help: 'Jobs that reached a terminal state, by state',
      labelNames: ['state'] as const,
      registers,
    }),
    jobFailures: new Counter({
      name: `${p}job_failures_total`,
      help: 'Failed jobs by error code',
      labelNames: ['code'] as const,
      registers,
    }),
    queueWaitSeconds: new Histogram({
      name: `${p}queue_wait_seconds`,
      help: 'Time from submit until the job first left the queue',
      buckets: [0.5, 2, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    jobDurationSeconds: new Histogram({
      name: `${p}job_duration_seconds`,
      help: 'Time from submit to a terminal state',
      labelNames: ['state'] as const,
      buckets: [30, 60, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 3600],
      registers,
    }),
    generationSeconds: new Histogram({
      name: `${p}generation_seconds`,
      help: 'Time from task creation until the bot saw it finished',
      labelNames: ['model', 'resolution', 'duration'] as const,
      buckets: [30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200],
      registers,
    }),
    pollsPerTask: new Histogram({
      name: `${p}polls_per_task`,
      help: 'MiniMax status queries spent on one task, observed when the job ends',
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64],
      registers,
    }),
    deliveries: new Counter({
      name: `${p}deliveries_total`,
      help: 'Finished videos handed to a platform, by outcome',
      labelNames: ['platform', 'outcome'] as const,
      registers,
    }),
    minimaxRequestSeconds: new Histogram({
      name: 'minimax_request_duration_seconds',
      help: 'Latency of MiniMax API calls',
      labelNames: ['endpoint', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    minimaxRequests: new Counter({
      name: 'minimax_requests_total',
      help: 'MiniMax API calls by endpoint, HTTP status and base_resp code',
      labelNames: ['endpoint', 'http_status', 'code'] as const,
      registers,
    }),
    minimaxErrors: new Counter({
      name: 'minimax_errors_total',
      help: 'Failed MiniMax API calls by endpoint and code',
      labelNames: ['endpoint', 'code'] as const,
      registers,
    }),
    callbacks: new Counter({
      name: `${p}minimax_callbacks_total`,
      help: 'MiniMax callbacks received, by kind (challenge, hint, progress, invalid)',
      labelNames: ['kind'] as const,
      registers,
    }),
    videoLinks: new Counter({
      name: `${p}video_link_requests_total`,
      help: 'Requests for served video links, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    httpResponses: new Counter({
      name: `${p}http_responses_total`,
      help: 'HTTP responses by mounted route and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    requestsRefused: new Counter({
      name: `${p}requests_refused_total`,
      help: 'New video requests refused by the bot itself, by reason (disk_low)',
      labelNames: ['reason'] as const,
      registers,
    }),
    dataDirFreeBytes: new Gauge({
      name: `${p}data_dir_free_bytes`,
      help: 'Free space in DATA_DIR at the last check',
      registers,
    }),
    recordMinimaxCall(call) {
      const endpoint = endpointLabel(call.endpoint);
      const code = codeLabel(call.code);
      const outcome = call.ok ? 'ok' : 'error';
      metrics.minimaxRequestSeconds.observe({ endpoint, outcome }, Math.max(0, call.ms) / 1000);
      metrics.minimaxRequests.inc({
        endpoint,
        http_status: call.httpStatus === undefined ? 'none' : String(call.httpStatus),
        code,
      });
      if (!call.ok) metrics.minimaxErrors.inc({ endpoint, code });
    },
    recordCallback(kind) {
      metrics.callbacks.inc({ kind });
    },
    recordVideoLink(outcome) {
      metrics.videoLinks.inc({ outcome });
    },
    recordHttpResponse(info) {
      metrics.httpResponses.inc({
        route: info.route,
        method:
          info.method === 'GET' || info.method === 'POST' || info.method === 'HEAD'
            ? info.method
            : 'other',
        status: String(info.status),
      });
    },
  };
  return metrics;
}

const ENDPOINTS: Record<string, string> = {
  '/v1/video_generation': 'create',
  '/v1/query/video_generation': 'query',
  '/v1/files/retrieve': 'retrieve',
};

/** Keeps label values few and free of query strings (which could carry ids or keys). */
export function endpointLabel(endpoint: string): string {
  const path = endpoint.split('?')[0]!;
  const known = ENDPOINTS[path] ?? ENDPOINTS[path.replace(/\/+$/, '')];
  if (known) return known;
  return /^[a-z_]{1,24}$/.test(path) ? path : 'other';
}

export function codeLabel(code: number | string | undefined): string {
  if (code === undefined || code === '') return 'none';
  const s = String(code);
  return /^[A-Za-z0-9_.-]{1,40}$/.test(s) ? s : 'other';
}
