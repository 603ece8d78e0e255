import { getEventListeners } from 'node:events';
import type { DestinationStream, Logger } from 'pino';
import { type Backend, type BackendOptions, createBackend } from './backend/create-backend.js';
import { type Config, ConfigError } from './config.js';
import { type Clock, systemClock } from './core/clock.js';
import type { Deliverer } from './core/delivery.js';
import { DiskGuard, type FreeSpaceProbe } from './core/disk-guard.js';
import { createDurationEstimator } from './core/duration-estimator.js';
import { JobEngine, type JobEngineOptions } from './core/engine/job-engine.js';
import type { Estimator } from './core/engine/run-context.js';
import { createFileDeliverer } from './core/file-deliverer.js';
import { StoreImageKeeper } from './core/jobs/image-keeper.js';
import type { Platform } from './core/jobs/job.js';
import type { JobStore } from './core/jobs/job-store.js';
import type { Startable } from './core/lifecycle.js';
import { createLogger } from './core/logger.js';
import { MinimaxHttpClient } from './core/minimax/http-client.js';
import type { MinimaxClient } from './core/minimax/types.js';
import type { QuotaLedger } from './core/policy/quota-ledger.js';
import { createSubmitPolicy } from './core/policy/submit-policy.js';
import { loadPriceTable } from './core/pricing/price-table.js';
import { budgetsInForce } from './dashboard/budgets.js';
import { createDashboard } from './dashboard/dashboard.js';
import { Sessions, sessionKeyOf } from './dashboard/session.js';
import { SignInLinks } from './dashboard/sign-in-links.js';
import type { DiscordAdapter, DiscordAdapterOptions } from './discord/adapter.js';
import { platformAccessFrom, SIGNATURE_HEADERS } from './platform-access.js';
import { bindMetrics } from './server/bind-metrics.js';
import { createBotRoutes } from './server/bot-routes.js';
import { callbackSecretOf, callbackUrlOf } from './server/callback-secret.js';
import type { HttpRoute } from './server/http-route.js';
import { createHttpServer, type HttpServer } from './server/http-server.js';
import { createMetrics, type Metrics } from './server/metrics.js';
import type { SlackAdapter, SlackAdapterOptions } from './slack/adapter.js';

/** What tests and CLI commands may replace; everything else is built from the config. */
export interface AppDeps {
  clock?: Clock;
  logger?: Logger;
  /** Where log lines go when the logger is built here (default stdout). */
  logDestination?: DestinationStream;
  /** Log level when the logger is built here (default LOG_LEVEL). */
  logLevel?: string;
  /** A store the caller opened and closes (tests); otherwise the backend opens STORE_URL's. */
  store?: JobStore;
  /** Redis key prefix and queue timings (tests shorten them); see createBackend. */
  backend?: Omit<BackendOptions, 'store' | 'sharedQueue'>;
  /** Default: the backend's ledger (embedded or Redis, see createBackend). */
  ledger?: QuotaLedger;
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
  /** Engine details tests pin (jitter, id source, stop grace). */
  engine?: Pick<JobEngineOptions, 'random' | 'newId' | 'stopGraceMs'>;
  /** Replace or add the deliverer of a platform (tests observe deliveries this way). */
  deliverers?: Partial<Record<Platform, Deliverer>>;
  /** Discord adapter details tests shorten (edit gaps, its own clock). */
  discord?: Partial<Pick<DiscordAdapterOptions, 'clock' | 'minEditGapMs' | 'oldMessageEditGapMs'>>;
  /** Slack adapter details tests shorten (pacing, retries). */
  slack?: Partial<Pick<SlackAdapterOptions, 'clientOptions' | 'pacing' | 'uploadRetryDelayMs'>>;
  /** Start the Discord/Slack adapters whose tokens are set. Default true. */
  adapters?: boolean;
  /** Start the HTTP server. Default true. */
  httpServer?: boolean;
  /** Interface the HTTP server binds; default all interfaces. */
  host?: string;
  /** Free space of DATA_DIR's file system; default fs.statfs (the disk-full test injects one). */
  freeSpace?: FreeSpaceProbe;
}

/** The whole bot, wired. `start()` resumes unfinished jobs; `stop()` is graceful. */
export interface App extends Startable {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: JobStore;
  /** `embedded` (SQLite/memory, one process) or `redis` (many instances). */
  readonly backend: Backend['kind'];
  readonly service: JobEngine;
  readonly metrics: Metrics;
  /** Undefined when built with `httpServer: false`. */
  readonly server: HttpServer | undefined;
  /** Names of the chat adapters that were built. */
  readonly adapters: readonly string[];
  /** The adapters themselves, when built (tests reach the discord.js client through it). */
  readonly discord: DiscordAdapter | undefined;
  readonly slack: SlackAdapter | undefined;
}

/** The one composition root (STYLE §1): config -> objects -> start/stop. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(loggerOptions(config, deps));
  // Without a key every job would fail at MiniMax; better to stop at start with one line.
  if (!config.MINIMAX_API_KEY && !deps.client)
    throw new ConfigError('MINIMAX_API_KEY is required to generate videos');
  // The one backend choice (STYLE §1): every port that depends on STORE_URL comes from here.
  const backend = await createBackend(config, {
    logger,
    clock,
    ...deps.backend,
    ...(deps.store ? { store: deps.store } : {}),
    ...(deps.joinSharedQueue === false ? { sharedQueue: false } : {}),
  });
  try {
    return await assemble(config, deps, { clock, logger, backend });
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** Everything after the backend is open; createApp closes it when this throws. */
async function assemble(
  config: Config,
  deps: AppDeps,
  { clock, logger, backend }: { clock: Clock; logger: Logger; backend: Backend },
): Promise<App> {
  const { store } = backend;
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
  // Checked here, at start: a wrong PRICES_FILE stops the bot with one sentence.
  const prices = loadPriceTable(config.PRICES_FILE);
  const policy = createSubmitPolicy({
    currency: prices.currency,
    config,
    store,
    ledger: deps.ledger ?? backend.ledger,
    clock,
    platforms: platformAccessFrom(config),
  });
  const callbackSecret = callbackSecretOf(config);
  const diskGuard = new DiskGuard({
    path: config.DATA_DIR,
    minFreeBytes: config.MIN_FREE_DISK_MB * 1_048_576,
    clock,
    ...(deps.freeSpace ? { probe: deps.freeSpace } : {}),
    onRefuse: () => metrics.requestsRefused.inc({ reason: 'disk_low' }),
    onReading: (freeBytes) => metrics.dataDirFreeBytes.set(freeBytes),
  });
  const engine = new JobEngine({
    ...deps.engine,
    prices,
    scheduler: backend.scheduler,
    ...(deps.resumePlatforms ? { resumePlatforms: deps.resumePlatforms } : {}),
    queryGate: backend.queryGate,
    config,
    store,
    client,
    clock,
    logger,
    estimator: deps.estimator ?? (await createDurationEstimator({ store, clock, logger })),
    policy,
    dataDir: config.DATA_DIR,
    diskGuard,
    // Several instances share no disk, so kept images go through the shared store (size-capped).
    ...(backend.kind === 'redis' ? { images: new StoreImageKeeper(store) } : {}),
    ...(config.PUBLIC_URL ? { callbackUrl: callbackUrlOf(config.PUBLIC_URL, callbackSecret) } : {}),
  });
  const unbindMetrics = bindMetrics({ service: engine, metrics });
  const dashboardLinks = new SignInLinks(store, config.PUBLIC_URL);
  const dashboard =
    deps.httpServer === false
      ? undefined
      : createDashboard({
          store,
          service: engine,
          sessions: new Sessions(
            sessionKeyOf(config),
            config.PUBLIC_URL?.startsWith('https:') ?? false,
            () => clock.now(),
          ),
          links: dashboardLinks,
          dataDir: config.DATA_DIR,
          currency: prices.currency,
          budgets: (viewer) => budgetsInForce(config, policy, prices.currency, viewer),
          now: () => clock.now(),
          logger,
        });

  // Adapters are imported only when their tokens are set: discord.js and Bolt are big, and
  // `generate` or `doctor` should not pay for loading them.
  // Deliverers are registered here, before the engine starts, so resumed jobs find theirs.
  // Every app can finish jobs started from the terminal, so `serve` completes an interrupted
  // `generate` (issue #4).
  const deliverers = new Map<Platform, Deliverer>([['cli', createFileDeliverer({ logger })]]);
  const adapters: { name: string; part: Startable }[] = [];
  const adapterRoutes: HttpRoute[] = [];
  let discord: DiscordAdapter | undefined;
  let slack: SlackAdapter | undefined;
  if (deps.adapters !== false && config.DISCORD_TOKEN) {
    const { createDiscordAdapter } = await import('./discord/adapter.js');
    // One gateway connection per bot: with Redis only the lock holder connects (SPEC §3).
    const gatewayLock = backend.leaderLock('discord-gateway');
    discord = createDiscordAdapter({
      config,
      service: engine,
      logger,
      clock,
      ...deps.discord,
      gatewayLock,
      policy,
      ...(dashboard ? { dashboardLinks } : {}),
    });
    deliverers.set('discord', discord.deliverer);
    const started = discord;
    adapters.push({
      name: 'discord',
      part: {
        start: async () => {
          await gatewayLock.start();
          await started.start();
        },
        stop: async () => {
          await started.stop();
          await gatewayLock.stop();
        },
      },
    });
  }
  if (deps.adapters !== false && config.SLACK_BOT_TOKEN) {
    const { createSlackAdapter } = await import('./slack/adapter.js');
    slack = createSlackAdapter({
      config,
      service: engine,
      logger,
      clock,
      ...deps.slack,
      policy,
      ...(dashboard ? { dashboardLinks } : {}),
    });
    deliverers.set('slack', slack.deliverer);
    if (slack.httpRoute) adapterRoutes.push(slack.httpRoute);
    adapters.push({
      name: `slack (${slack.mode === 'socket' ? 'Socket Mode' : 'HTTP mode'})`,
      part: slack,
    });
  }
  for (const [platform, deliverer] of Object.entries(deps.deliverers ?? {}))
    if (deliverer) deliverers.set(platform as Platform, deliverer);
  for (const [platform, deliverer] of deliverers) engine.registerDeliverer(platform, deliverer);
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
          notReadyReason: () => diskGuard.reason(),
          onResponse: metrics.recordHttpResponse,
          routes: [
            ...createBotRoutes({
              config,
              logger,
              clock,
              metrics,
              jobs: engine,
              onTaskHint: (taskId) => engine.notifyTaskUpdate(taskId),
              callbackSecret,
              onAuthenticCallback: (taskId) => engine.noteAuthenticCallback(taskId),
            }),
            ...adapterRoutes,
            ...(dashboard?.routes ?? []),
          ],
        });

  // Start order: the engine (resumes jobs, deliverers already registered), then the doors
  // through which new work arrives. Stop runs in reverse.
  // The dashboard stops first: its live queue streams would otherwise hold the server's drain.
  const dashboardPart: Startable = { start: async () => {}, stop: async () => dashboard?.stop() };
  const parts: Startable[] = [
    engine,
    ...adapters.map((a) => a.part),
    ...(server ? [server] : []),
    dashboardPart,
  ];
  const started: Startable[] = [];
  return {
    config,
    logger,
    store,
    backend: backend.kind,
    service: engine,
    metrics,
    server,
    adapters: adapters.map((a) => a.name),
    discord,
    slack,
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
      // After the engine stopped: running jobs hand back to the queue, then the store closes.
      await backend.close().catch((err: unknown) => logger.error({ err }, 'backend close failed'));
      logger.info('bot stopped');
      await flushLogger(logger);
    },
  };
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
    secretHeaders: SIGNATURE_HEADERS,
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
