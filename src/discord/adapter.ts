import { Client, Events, GatewayIntentBits, Partials, REST } from 'discord.js';
import type { Logger } from 'pino';
import { MAX_CHAT_FILE_BYTES } from '../chat/media-files.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Deliverer } from '../core/delivery.js';
import type { LeaderLock } from '../core/leader-lock.js';
import type { Startable } from '../core/lifecycle.js';
import { QueuePositions } from '../core/policy/queue-positions.js';
import type { SubmitPolicy } from '../core/policy/submit-policy.js';
import { allowedHostsFor, fetchAttachment as safeFetchAttachment } from '../core/safe-fetch.js';
import type { VideoService } from '../core/video-service.js';
import type { DashboardLinks } from '../dashboard/sign-in-links.js';
import { DiscordDeliverer } from './delivery.js';
import { DEFAULT_UPLOAD_LIMIT_BYTES } from './discord-ref.js';
import { InteractionHandler } from './interactions.js';
import { JobStarter } from './job-starter.js';
import { MessageEditor } from './message-editor.js';
import { ProgressUpdater } from './progress-updater.js';
import { formSafeRequest } from './rest-request.js';
import { NO_MENTIONS } from './safe-text.js';
import { MessageTriggers } from './triggers.js';

/** MiniMax refuses images of 20 MB or more, so nothing larger is downloaded. */
/** Long enough for a 50 MB clip over a slow link. */
const IMAGE_TIMEOUT_MS = 60_000;

/** Where Discord serves attachments (SPEC §2); the API host is added from DISCORD_API_URL. */
export const DISCORD_FILE_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];

export interface DiscordAdapterOptions {
  config: Pick<
    Config,
    | 'DISCORD_TOKEN'
    | 'DISCORD_APPLICATION_ID'
    | 'DISCORD_API_URL'
    | 'SLACK_API_URL'
    | 'ADMIN_USERS'
    | 'DEFAULT_MODEL'
  >;
  service: VideoService;
  logger: Logger;
  clock: Clock;
  /** Defaults to safe-fetch's `fetchAttachment` (host allow-list, size and time limits). */
  fetchAttachment?: typeof safeFetchAttachment;
  /** The dashboard's sign-in links (issue #14); without them /video-dashboard says why. */
  dashboardLinks?: DashboardLinks;
  /** Least gap between two progress edits of one message (default 5 s; tests use a few ms). */
  minEditGapMs?: number;
  /** Gap for messages older than an hour, whose edits Discord caps (default 60 s). */
  oldMessageEditGapMs?: number;
  /**
   * With several instances only the lock holder connects to the gateway (one connection per
   * bot); the others still edit and deliver through REST. Default: always connect.
   */
  gatewayLock?: LeaderLock;
  /** Quotas for /video-status and the /video-admin overrides; without it admin commands are off. */
  policy?: SubmitPolicy;
}

export interface DiscordAdapter extends Startable {
  /** The discord.js client (for the CLI and tests); connected between start() and stop(). */
  readonly client: Client;
  /** Posts finished videos; the composition root registers it with the engine. */
  readonly deliverer: Deliverer;
}

/**
 * The Discord side of the bot: /video, its modal, mentions, the "Animate this image" context
 * menu, buttons, live progress messages and delivery of the MP4. Intents: Guilds, GuildMessages
 * and DirectMessages; the privileged Message Content intent is not needed.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { config, service, clock } = options;
  const token = config.DISCORD_TOKEN;
  if (!token) throw new Error('DISCORD_TOKEN is required for the Discord adapter');
  const logger = options.logger.child({ component: 'discord' });
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
    ],
    partials: [Partials.Channel],
    // Every reply, follow-up and edit made through the client inherits this: prompts echoed back
    // can never ping @everyone, a role or a user (issue #12).
    allowedMentions: NO_MENTIONS,
    rest: { api: config.DISCORD_API_URL, makeRequest: formSafeRequest },
  });
  // Edits and deliveries get their own REST client: they must work before the gateway is up
  // (resumed jobs) and after stop() (the engine finishes in-flight deliveries after adapters
  // stop), while client.destroy() clears the client's token.
  const rest = new REST({ api: config.DISCORD_API_URL, makeRequest: formSafeRequest }).setToken(
    token,
  );
  const editor = new MessageEditor({ rest, clock, logger, service });
  const updater = new ProgressUpdater({
    editor,
    clock,
    logger,
    ...(options.minEditGapMs !== undefined ? { minEditGapMs: options.minEditGapMs } : {}),
    ...(options.oldMessageEditGapMs !== undefined
      ? { oldMessageEditGapMs: options.oldMessageEditGapMs }
      : {}),
  });
  const fetchImpl = options.fetchAttachment ?? safeFetchAttachment;
  const allowedHosts = allowedHostsFor(DISCORD_FILE_HOSTS, config.DISCORD_API_URL);
  const starter = new JobStarter({
    service,
    editor,
    updater,
    clock,
    logger,
    fetchImage: (url) =>
      fetchImpl(url, {
        allowedHosts,
        platformName: 'Discord',
        // A reference clip may be 50 MB; images over MiniMax's limit are refused by the core.
        maxBytes: MAX_CHAT_FILE_BYTES,
        timeoutMs: IMAGE_TIMEOUT_MS,
      }),
  });
  const positions = new QueuePositions(service);
  const interactions = new InteractionHandler({
    service,
    starter,
    editor,
    ...(config.DEFAULT_MODEL ? { defaultModel: config.DEFAULT_MODEL } : {}),
    dashboard: {
      ...(options.dashboardLinks ? { links: options.dashboardLinks } : {}),
      adminUsers: config.ADMIN_USERS,
      logger,
    },
    clock,
    logger,
    status: {
      service,
      positions,
      clock,
      logger,
      adminUsers: config.ADMIN_USERS,
      ...(options.policy ? { policy: options.policy } : {}),
    },
    admin: { policy: options.policy, adminUsers: config.ADMIN_USERS, logger },
  });
  const triggers = new MessageTriggers({
    starter,
    service,
    logger,
    uploadLimitBytes: DEFAULT_UPLOAD_LIMIT_BYTES,
    adminUsers: config.ADMIN_USERS,
    ...(config.DEFAULT_MODEL ? { defaultModel: config.DEFAULT_MODEL } : {}),
  });
  const deliverer = new DiscordDeliverer({ updater, editor, service, logger });
  const unsubscribe = service.onProgress((event) => updater.onEvent(event));

  client.on(Events.InteractionCreate, (i) => void interactions.handle(i));
  client.on(Events.MessageCreate, (m) => {
    if (client.user) void triggers.handle(m, client.user.id);
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));

  let stopped = false;
  let connected = false;
  const lock = options.gatewayLock;
  const connect = async () => {
    if (connected || stopped) return;
    connected = true;
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(token);
    await ready;
    logger.info({ user: client.user?.tag }, 'discord connected');
  };
  const disconnect = async () => {
    if (!connected) return;
    connected = false;
    await client.destroy();
    logger.info('discord gateway handed to another instance');
  };
  const unsubscribeLock = lock?.onChange((isLeader) => {
    const change = isLeader ? connect() : disconnect();
    change.catch((err: unknown) => logger.error({ err }, 'discord gateway change failed'));
  });
  return {
    client,
    deliverer,
    async start() {
      if (!lock || lock.isLeader()) await connect();
      else logger.info('another instance holds the Discord gateway; delivering through REST');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribeLock?.();
      unsubscribe();
      positions.stop();
      await updater.stop();
      await client.destroy();
    },
  };
}
