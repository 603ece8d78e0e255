import { getEventListeners } from 'node:events';
import type { DestinationStream, Logger } from 'pino';
import { createFileDeliverer } from './cli/file-deliverer.js';
import { type Clock, systemClock } from './core/clock.js';
import { type Config, ConfigError, storeUrlOf } from './core/config.js';
import { createDurationEstimator } from './core/duration-estimator.js';
import { JobEngine } from './core/engine/job-engine.js';
import type { Estimator } from './core/engine/run-context.js';
import type { Platform } from './core/jobs/job.js';
import type { JobStore } from './core/jobs/job-store.js';
import { createKeyvJobStore } from './core/jobs/keyv-job-store.js';
import { createLeaderLock } from './core/leader-lock.js';
import type { Startable } from './core/lifecycle.js';
import { createLogger } from './core/logger.js';
import { MinimaxHttpClient } from './core/minimax/http-client.js';
import type { MinimaxClient } from './core/minimax/types.js';
import { createSubmitPolicy } from './core/policy/submit-policy.js';
import { createScheduler } from './core/scheduler/create-scheduler.js';
import { FairScheduler } from './core/scheduler.js';
import type { VideoService } from './core/video-service.js';
import { platformAccessFrom } from './platform-access.js';
import { createBotRoutes } from './server/bot-routes.js';
import { CALLBACK_PATH } from './server/callback-route.js';
import type { HttpRoute } from './server/http-route.js';
import { createHttpServer, type HttpServer } from './server/http-server.js';
import { bindMetrics, createMetrics, type Metrics } from './server/metrics.js';

/** What tests and CLI commands may replace; everything else is built from the config. */
export interface AppDeps {
  clock?: Clock;
  logger?: Logger;
  /** Where log lines go when the logger is built here (default stdout). */
  logDestination?: DestinationStream;
  /** Log level when the logger is built here (default LOG_LEVEL). */
  logLevel?: string;
  store?: JobStore;
  client?: MinimaxClient;
  /** Default: learned from past jobs in the store. The demo passes its simulator's timeline. */
  estimator?: Estimator;
  /**
   * Resume only unfinished jobs of these platforms at start. Default: all. `generate` runs
   * without chat adapters, so it must leave chat jobs to `serve` instead of finishing them
   * where no one sees them.
   */
  resumePlatforms?: readonly Platform[];
  /**
   * Take jobs from the shared BullMQ queue when STORE_URL is Redis. Default true. `generate`
   * runs its own job only: as a worker it could pick up chat jobs it cannot deliver.
   */
  joinSharedQueue?: boolean;
  /** Start the Discord/Slack adapters whose tokens are set. Default true. */
  adapters?: boolean;
  /** Start the HTTP server. Default true. */
  httpServer?: boolean;
  /** Interface the HTTP server binds; default all interfaces. */
  host?: string;
}

/** The whole bot, wired. `start()` resumes unfinished jobs; `stop()` is graceful. */
export interface App extends Startable {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: JobStore;
  readonly service: VideoService;
  readonly metrics: Metrics;
  /** Undefined when built with `httpServer: false`. */
  readonly server: HttpServer | undefined;
  /** Names of the chat adapters that were built. */
  readonly adapters: readonly string[];
}

/** The one composition root (STYLE §1): config -> objects -> start/stop. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(loggerOptions(config, deps));
  // Without a key every job would fail at MiniMax; better to stop at start with one line.
  if (!config.MINIMAX_API_KEY && !deps.client)
    throw new ConfigError('MINIMAX_API_KEY is required to generate videos');
  const store = deps.store ?? (await createKeyvJobStore(storeUrlOf(config), { logger }));
  try {
    return await assemble(config, deps, { clock, logger, store });
  } catch (err) {
    if (!deps.store) await store.close();
    throw err;
  }
}

/** Everything after the store is open; createApp closes the store when this throws. */
async function assemble(
  config: Config,
  deps: AppDeps,
  { clock, logger, store }: { clock: Clock; logger: Logger; store: JobStore },
): Promise<App> {
  const engineStore = deps.resumePlatforms ? resumingOnly(store, deps.resumePlatforms) : store;
  const metrics = createMetrics();
  const client =
    deps.client ??
    new MinimaxHttpClient({
      baseUrl: config.MINIMAX_BASE_URL,
      apiKey: config.MINIMAX_API_KEY ?? '',
      timeoutMs: config.MINIMAX_TIMEOUT_S * 1000,
      logger: logger.child({ component: 'minimax' }),
      clock,
      onCall: metrics.recordMinimaxCall,
    });
  // With a redis:// STORE_URL: BullMQ and a shared create gate, so MAX_ACTIVE_JOBS and
  // MINIMAX_RPM hold across every instance; otherwise the in-process fair queue.
  const scheduling =
    deps.joinSharedQueue === false
      ? {
          scheduler: new FairScheduler({
            clock,
            logger,
            maxActive: config.MAX_ACTIVE_JOBS,
            createsPerMinute: config.MINIMAX_RPM,
          }),
          close: async () => {},
        }
      : await createScheduler(config, { logger, clock });
  const policy = createSubmitPolicy({
    config,
    store,
    clock,
    platforms: platformAccessFrom(config),
  });
  const engine = new JobEngine({
    scheduler: scheduling.scheduler,
    config,
    store: engineStore,
    client,
    clock,
    logger,
    estimator: deps.estimator ?? (await createDurationEstimator({ store, clock, logger })),
    policy,
    dataDir: config.DATA_DIR,
    ...(config.PUBLIC_URL
      ? { callbackUrl: `${config.PUBLIC_URL.replace(/\/+$/, '')}${CALLBACK_PATH}` }
      : {}),
  });
  // Every app can finish jobs started from the terminal, so `serve` completes an interrupted
  // `generate` (issue #4).
  engine.registerDeliverer('cli', createFileDeliverer({ logger }));
  const unbindMetrics = bindMetrics({ service: engine, metrics });

  // Adapters are imported only when their tokens are set: discord.js and Bolt are big, and
  // `generate` or `doctor` should not pay for loading them.
  const adapters: { name: string; part: Startable }[] = [];
  const adapterRoutes: HttpRoute[] = [];
  if (deps.adapters !== false && config.DISCORD_TOKEN) {
    const { createDiscordAdapter } = await import('./discord/adapter.js');
    // One gateway connection per bot: with Redis only the lock holder connects (SPEC §3).
    const gatewayLock = createLeaderLock(config, 'discord-gateway', { logger, clock });
    const discord = createDiscordAdapter({
      config,
      service: engine,
      logger,
      clock,
      gatewayLock,
      policy,
    });
    adapters.push({
      name: 'discord',
      part: {
        start: async () => {
          await gatewayLock.start();
          await discord.start();
        },
        stop: async () => {
          await discord.stop();
          await gatewayLock.stop();
        },
      },
    });
  }
  if (deps.adapters !== false && config.SLACK_BOT_TOKEN) {
    const { createSlackAdapter } = await import('./slack/adapter.js');
    const slack = createSlackAdapter({ config, service: engine, logger, clock, policy });
    if (slack.httpRoute) adapterRoutes.push(slack.httpRoute);
    adapters.push({
      name: `slack (${slack.mode === 'socket' ? 'Socket Mode' : 'HTTP mode'})`,
      part: slack,
    });
  }
  if (deps.httpServer === false && adapterRoutes.length > 0)
    throw new Error('Slack HTTP mode needs the HTTP server');

  let ready = false;
  const server =
    deps.httpServer === false
      ? undefined
      : createHttpServer({
          config,
          logger,
          host: deps.host,
          readiness: () => ready,
          onResponse: metrics.recordHttpResponse,
          routes: [
            ...createBotRoutes({
              config,
              logger,
              clock,
              metrics,
              jobs: engine,
              onTaskHint: (taskId) => engine.notifyTaskUpdate(taskId),
              onCallbackSeen: () => engine.noteCallbackReceived(),
            }),
            ...adapterRoutes,
          ],
        });

  // Start order: the engine (resumes jobs, deliverers already registered), then the doors
  // through which new work arrives. Stop runs in reverse.
  const schedulerConnections: Startable = { start: async () => {}, stop: () => scheduling.close() };
  const parts: Startable[] = [
    schedulerConnections,
    engine,
    ...adapters.map((a) => a.part),
    ...(server ? [server] : []),
  ];
  const started: Startable[] = [];
  return {
    config,
    logger,
    store,
    service: engine,
    metrics,
    server,
    adapters: adapters.map((a) => a.name),
    async start() {
      for (const part of parts) {
        await part.start();
        started.push(part);
      }
      ready = true;
      logger.info({ adapters: adapters.map((a) => a.name), port: server?.port }, 'bot started');
      if (adapters.length === 0 && deps.adapters !== false)
        logger.warn('no chat adapter: set DISCORD_TOKEN or SLACK_BOT_TOKEN to take commands');
    },
    async stop() {
      ready = false;
      for (const part of started.splice(0).reverse()) {
        await part.stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
      }
      unbindMetrics();
      if (!deps.store) await store.close();
      logger.info('bot stopped');
      await flushLogger(logger);
    },
  };
}

/** The same store, except that resume after start sees only jobs of `platforms`. */
function resumingOnly(store: JobStore, platforms: readonly Platform[]): JobStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'listActive')
        return async () =>
          (await target.listActive()).filter((job) => platforms.includes(job.origin.platform));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function loggerOptions(config: Config, deps: AppDeps) {
  const pretty =
    config.LOG_FORMAT === 'pretty' ||
    (config.LOG_FORMAT === undefined &&
      ((deps.logDestination as { isTTY?: boolean } | undefined) ?? process.stdout).isTTY === true &&
      config.NODE_ENV !== 'production');
  return {
    level: deps.logLevel ?? config.LOG_LEVEL,
    format: pretty ? 'pretty' : 'json',
    ...(deps.logDestination ? { destination: deps.logDestination } : {}),
  } as const;
}

function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
}

/**
 * An AbortSignal that fires on the first SIGINT/SIGTERM so long-running commands stop
 * gracefully. When nothing listens for it (a short command), or on a second signal, the process
 * exits at once, as a user pressing Ctrl+C twice expects.
 */
export function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted || getEventListeners(controller.signal, 'abort').length === 0)
      process.exit(name === 'SIGINT' ? 130 : 143);
    controller.abort(new Error(`received ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
