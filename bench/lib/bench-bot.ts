import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { type Config, loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { JobEngine } from '../../src/core/engine/job-engine.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';
import { createApp } from '../../src/main.js';
import type { HttpServer } from '../../src/server/http-server.js';
import type { Metrics } from '../../src/server/metrics.js';
import { freePort } from './net.js';

export interface BenchBotOptions {
  simUrl: string;
  apiKey: string;
  clock: Clock;
  /** Extra environment (POLL_MIN_S, MAX_ACTIVE_JOBS, DISCORD_TOKEN, ...), as a user would set it. */
  env?: Record<string, string>;
  /** Serve HTTP with PUBLIC_URL pointing at it, so creates carry `callback_url`. */
  callbacks?: boolean;
  /** Serve HTTP (health, metrics, video links) even without callbacks. */
  serve?: boolean;
}

export interface BenchBot {
  config: Config;
  logger: Logger;
  store: JobStore;
  engine: JobEngine;
  metrics: Metrics;
  server: HttpServer | undefined;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The bot exactly as `serve` builds it (src/main.ts createApp: store, MiniMax client, estimator,
 * engine, chat adapters whose tokens are set, HTTP server, metrics), on a memory store and a
 * temporary DATA_DIR, with the bench's clock.
 */
export async function startBenchBot(options: BenchBotOptions): Promise<BenchBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mvb-bench-'));
  const serve = Boolean(options.serve || options.callbacks);
  const port = serve ? await freePort() : 0;
  const config = loadConfig({
    MINIMAX_API_KEY: options.apiKey,
    MINIMAX_BASE_URL: options.simUrl,
    DATA_DIR: dataDir,
    STORE_URL: 'memory://',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    ...(options.callbacks ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ...options.env,
  });
  const logger = pino({ level: 'silent' });
  const app = await createApp(config, {
    clock: options.clock,
    logger,
    host: '127.0.0.1',
    httpServer: serve,
  }).catch(async (err: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  await app.start();
  return {
    config,
    logger,
    store: app.store,
    engine: app.service,
    metrics: app.metrics,
    server: app.server,
    dataDir,
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
