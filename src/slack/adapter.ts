import { App, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { MAX_CHAT_FILE_BYTES } from '../chat/media-files.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Deliverer } from '../core/delivery.js';
import type { Startable } from '../core/lifecycle.js';
import { QueuePositions } from '../core/policy/queue-positions.js';
import type { SubmitPolicy } from '../core/policy/submit-policy.js';
import { allowedHostsFor, fetchAttachment } from '../core/safe-fetch.js';
import type { VideoService } from '../core/video-service.js';
import type { DashboardLinks } from '../dashboard/sign-in-links.js';
import type { HttpRoute } from '../server/http-route.js';
import { registerActions } from './actions.js';
import { boltLogger } from './bolt-logger.js';
import { registerCommand } from './command.js';
import { SlackDeliverer } from './delivery.js';
import { GroupMembership } from './group-membership.js';
import { SlackHttpReceiver } from './http-receiver.js';
import { registerMention } from './mention.js';
import { DEFAULT_PACING, StatusMessages, type StatusPacing } from './progress-message.js';
import { SlackApi } from './slack-api.js';
import { type FetchImage, SlackJobs } from './slack-jobs.js';

/** Input images: Slack's file_input allows 10 MB; MiniMax accepts up to 20 MB. */
/** Long enough for a 50 MB clip over a slow link. */
const IMAGE_TIMEOUT_MS = 60_000;
/** Where Slack serves files (SPEC §2); the API host is added from SLACK_API_URL. */
export const SLACK_FILE_HOSTS: readonly string[] = ['files.slack.com'];

export interface SlackAdapterOptions {
  config: Config;
  service: VideoService;
  logger: Logger;
  clock: Clock;
  /** Extra WebClient options (tests: `retryConfig: { retries: 0 }`). */
  clientOptions?: Omit<webApi.WebClientOptions, 'slackApiUrl' | 'logger' | 'logLevel'>;
  /** Status-message edit pacing; defaults suit Slack's Tier 3 limit. */
  pacing?: Partial<StatusPacing>;
  /** First pause between upload retries (doubles, jittered). Default 1 s. */
  uploadRetryDelayMs?: number;
  /** Jitter source in [0, 1) for upload retries. Default Math.random. */
  random?: () => number;
  /** Default `/video`. */
  commandName?: string;
  /** The submit policy, for `/video status` quotas and `/video admin …` (admin commands are off without it). */
  policy?: SubmitPolicy;
  /** The dashboard's sign-in links (issue #14); without them `/video dashboard` says why. */
  dashboardLinks?: DashboardLinks;
}

export interface SlackAdapter extends Startable {
  readonly mode: 'socket' | 'http';
  /** HTTP mode: mount this on the bot's HTTP server (`POST /slack/events`). */
  readonly httpRoute?: HttpRoute;
  /** Posts finished videos; the composition root registers it with the engine. */
  readonly deliverer: Deliverer;
}

/**
 * The Slack side of the bot on Bolt: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode
 * on the bot's own server. Listens to progress at once, so jobs the engine resumes at start are
 * rendered even before `start()` returns; `deliverer` is registered by the composition root.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, service, clock } = options;
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new Error('SLACK_BOT_TOKEN is required for the Slack adapter');
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    throw new Error('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is required for the Slack adapter');
  }
  const mode = config.SLACK_APP_TOKEN ? 'socket' : 'http';
  const logger = options.logger.child({ component: 'slack', mode });
  const bolt = boltLogger(logger, [token, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET]);
  const stopping = new AbortController();

  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: config.SLACK_API_URL,
    // 429s come back to SlackApi, which waits on the injected clock and pauses status edits.
    rejectRateLimitedCalls: true,
    timeout: 30_000,
    ...options.clientOptions,
  };
  const socketReceiver =
    mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.SLACK_APP_TOKEN!,
          logger: bolt,
          // A copy: the socket-mode client writes its own retryConfig into the object it gets.
          installerOptions: {
            clientOptions: {
              slackApiUrl: config.SLACK_API_URL,
              ...(options.clientOptions?.retryConfig
                ? { retryConfig: options.clientOptions.retryConfig }
                : {}),
            },
          },
        })
      : undefined;
  const httpReceiver =
    mode === 'http'
      ? new SlackHttpReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, logger: bolt })
      : undefined;
  const app = new App({
    token,
    receiver: (socketReceiver ?? httpReceiver)!,
    logger: bolt,
    clientOptions,
    convoStore: false,
  });
  app.error(async (err) => {
    logger.error({ err }, 'Slack listener failed');
  });

  const api = new SlackApi({
    client: app.client,
    clock,
    logger,
    botToken: token,
    signal: stopping.signal,
  });
  const messages = new StatusMessages({
    api,
    service,
    clock,
    logger,
    pacing: { ...DEFAULT_PACING, ...options.pacing },
    signal: stopping.signal,
  });
  const allowedHosts = allowedHostsFor(SLACK_FILE_HOSTS, config.SLACK_API_URL);
  const fetchImage: FetchImage = (file) => {
    const url = file.url_private_download ?? file.url_private;
    if (!url) return Promise.reject(new Error(`Slack file ${file.id} has no url_private`));
    return fetchAttachment(url, {
      allowedHosts,
      platformName: 'Slack',
      // A reference clip may be 50 MB; images over MiniMax's limit are refused by the core.
      maxBytes: MAX_CHAT_FILE_BYTES,
      timeoutMs: IMAGE_TIMEOUT_MS,
      headers: { authorization: `Bearer ${token}` },
      signal: stopping.signal,
    });
  };
  const groups = new GroupMembership({ api, clock, logger, groups: config.SLACK_ALLOWED_GROUPS });
  const jobs = new SlackJobs({ config, service, api, messages, fetchImage, logger, clock, groups });
  const deps = { api, jobs, service, logger };
  const positions = new QueuePositions(service);
  registerCommand(app, {
    ...deps,
    commandName: options.commandName ?? '/video',
    status: {
      service,
      positions,
      clock,
      adminUsers: config.ADMIN_USERS,
      ...(options.policy ? { policy: options.policy } : {}),
    },
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.dashboardLinks ? { dashboardLinks: options.dashboardLinks } : {}),
  });
  registerMention(app, {
    ...deps,
    ...(config.DEFAULT_MODEL ? { defaultModel: config.DEFAULT_MODEL } : {}),
  });
  registerActions(app, { ...deps, adminUsers: config.ADMIN_USERS });

  const deliverer = new SlackDeliverer({
    api,
    messages,
    service,
    clock,
    logger,
    signal: stopping.signal,
    ...(options.random ? { random: options.random } : {}),
    ...(options.uploadRetryDelayMs !== undefined
      ? { retryDelayMs: options.uploadRetryDelayMs }
      : {}),
  });
  const unsubscribe = service.onProgress((event) => messages.onProgress(event));

  return {
    mode,
    deliverer,
    ...(httpReceiver ? { httpRoute: httpReceiver.route } : {}),
    async start() {
      await app.start();
      logger.info('Slack adapter started');
    },
    async stop() {
      unsubscribe();
      positions.stop();
      stopping.abort(new Error('Slack adapter stopped'));
      if (socketReceiver) await socketReceiver.client.disconnect();
      else await app.stop();
    },
  };
}
