/**
 * One bot instance for the multi-instance tests, run as a child process (`node --import tsx`):
 * createApp from configuration with a redis:// STORE_URL, exactly as `serve` builds it, minus
 * the chat adapters and the HTTP server, with queue timings from TEST_LOCK_MS/TEST_STALLED_MS
 * (default: the production ones). It talks to the test over IPC: `{ type: 'submit', prompt }`
 * in; `ready`, `submitted`, `state` and `delivered` out.
 */
import pino from 'pino';
import { currentEnv, loadConfig } from '../../src/config.js';
import type { JobOrigin } from '../../src/core/jobs/job.js';
import { createApp } from '../../src/main.js';

export type ToInstance =
  | {
      type: 'submit';
      prompt: string;
      userId: string;
      /** Default `cli` (never checked nor counted); `discord` meets the quotas. */
      platform?: 'cli' | 'discord';
      workspaceId?: string;
    }
  | { type: 'cancel'; jobId: string; userId: string };
export type FromInstance =
  | { type: 'ready' }
  | { type: 'submitted'; jobId: string; userId: string }
  | { type: 'refused'; userId: string; code: string }
  | { type: 'cancelled'; jobId: string; outcome: string }
  | { type: 'state'; jobId: string; from?: string; to: string; taskId?: string }
  | { type: 'delivered'; jobId: string; path: string };

const env = currentEnv();
const name = env['INSTANCE_NAME'] ?? 'instance';
const namespace = env['TEST_NAMESPACE']!;
const send = (message: FromInstance) => process.send?.(message);
const logger = pino({ level: env['LOG_LEVEL'] ?? 'warn', base: { instance: name } });

const config = loadConfig(env);
const tuning = {
  ...(env['TEST_LOCK_MS'] ? { lockDurationMs: Number(env['TEST_LOCK_MS']) } : {}),
  ...(env['TEST_STALLED_MS'] ? { stalledIntervalMs: Number(env['TEST_STALLED_MS']) } : {}),
  positionsRefreshMs: 200,
  closeGraceMs: 2_000,
  concurrencyPerInstance: Number(env['TEST_CONCURRENCY'] ?? config.MAX_ACTIVE_JOBS),
};
const app = await createApp(config, {
  logger,
  adapters: false,
  httpServer: false,
  backend: { namespace, queueTuning: tuning },
  deliverers: {
    cli: {
      async deliver(job, video) {
        send({ type: 'delivered', jobId: job.id, path: video.path });
        return { resultUrl: video.path };
      },
    },
  },
});
const engine = app.service;
engine.onProgress((event) => {
  if (event.kind !== 'state') return;
  send({
    type: 'state',
    jobId: event.jobId,
    to: event.state,
    ...(event.from ? { from: event.from } : {}),
    ...(event.job.taskId ? { taskId: event.job.taskId } : {}),
  });
});

process.on('message', (message: ToInstance) => {
  if (message.type === 'cancel') {
    engine.cancel(message.jobId, message.userId).then(
      (outcome) => send({ type: 'cancelled', jobId: message.jobId, outcome }),
      (err: unknown) => logger.error({ err }, 'cancel failed'),
    );
    return;
  }
  const origin: JobOrigin = {
    platform: message.platform ?? 'cli',
    userId: message.userId,
    channelId: 'c1',
    ...(message.workspaceId ? { workspaceId: message.workspaceId } : {}),
    ref: {},
  };
  engine.submit({ prompt: message.prompt }, origin).then(
    (job) => send({ type: 'submitted', jobId: job.id, userId: message.userId }),
    (err: unknown) => {
      const code = (err as { code?: string }).code ?? 'unknown';
      send({ type: 'refused', userId: message.userId, code });
      if (code === 'unknown') logger.error({ err }, 'submit failed');
    },
  );
});
process.on('SIGTERM', () => {
  void (async () => {
    await app.stop();
    process.exit(0);
  })();
});

await app.start();
send({ type: 'ready' });
