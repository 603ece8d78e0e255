import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { asBotError, BotError, InputError, PolicyError } from '../core/errors.js';
import { upscaleOf } from '../core/h3-upscale.js';
import { type Job, type JobOrigin, newJobRecord } from '../core/jobs/job.js';
import { withProbes } from '../core/media-probe.js';
import { checkRequest, withDefaultModel } from '../core/request.js';
import type {
  ImageInput,
  ImageSlot,
  MediaInput,
  MediaRole,
  RawVideoRequest,
  VideoRequest,
} from '../core/request-types.js';
import { varyRequest } from '../core/variation.js';
import type { AdmissionTicket, VideoService } from '../core/video-service.js';
import { messageFor } from '../messages/index.js';
import type { GroupMembership } from './group-membership.js';
import type { StatusMessages } from './progress-message.js';
import { type MessageRef, type SlackApi, type SlackFile, slackErrorCode } from './slack-api.js';

/** Downloads a Slack file's bytes (url_private with the bot token, host-checked and capped). */
export type FetchImage = (file: SlackFile) => Promise<Buffer>;

/** Sends the user one plain sentence only they can see. Never throws. */
export type Notify = (text: string) => Promise<void>;

export interface SlackJobsOptions {
  config: Pick<Config, 'ADMIN_USERS' | 'SLACK_ALLOWED_USERS' | 'DEFAULT_MODEL'>;
  service: VideoService;
  api: SlackApi;
  messages: StatusMessages;
  fetchImage: FetchImage;
  logger: Logger;
  clock: Clock;
  /** SLACK_ALLOWED_GROUPS lookups; without it (or with no groups) `roles` stays unset. */
  groups?: GroupMembership;
}

/** Where a request came from, in Slack terms. */
export interface SlackPlace {
  userId: string;
  /** Slack handle, when the payload carried one. */
  userName?: string;
  channelId: string;
  teamId?: string;
  /** Thread to post the status message in (mentions, regenerate). */
  threadTs?: string;
}

const NO_ACCESS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

/**
 * The shared tail of every Slack entry point: build the origin, download and check the images,
 * post the status message, submit with a dedupe key, and turn any refusal into one ephemeral
 * sentence.
 */
export class SlackJobs {
  private readonly recent = new Map<string, number>();

  constructor(private readonly options: SlackJobsOptions) {}

  origin(place: SlackPlace): JobOrigin {
    return {
      platform: 'slack',
      userId: place.userId,
      ...(place.userName ? { userName: place.userName } : {}),
      channelId: place.channelId,
      ...(place.teamId ? { workspaceId: place.teamId } : {}),
      locale: 'en',
      ...(this.options.config.ADMIN_USERS.includes(place.userId) ? { isAdmin: true } : {}),
      ref: {
        channel: place.channelId,
        ...(place.threadTs ? { threadTs: place.threadTs } : {}),
        ...(place.teamId ? { teamId: place.teamId } : {}),
      },
    };
  }

  /**
   * `origin(place)` with `roles` set to the SLACK_ALLOWED_GROUPS the user is in, for the policy.
   * Undefined when the groups could not be read (the user was told). Admins and users listed in
   * SLACK_ALLOWED_USERS pass anyway, so they cost no lookup and are never refused by one.
   */
  async checkedOrigin(place: SlackPlace, notify: Notify): Promise<JobOrigin | undefined> {
    const origin = this.origin(place);
    origin.locale = (await this.options.api.userLocale(place.userId)) ?? 'en';
    const { groups, config } = this.options;
    if (!groups?.isEnabled || origin.isAdmin || config.SLACK_ALLOWED_USERS.includes(place.userId))
      return origin;
    try {
      origin.roles = await groups.groupsOf(place.userId);
    } catch (err) {
      await this.refuse(err, notify, origin.locale);
      return undefined;
    }
    return origin;
  }

  /**
   * True when `key` was handled in the last 10 minutes by this process: a cheap early exit for
   * Slack's redeliveries before any download. The durable guard is the service's dedupeKey.
   */
  seenRecently(key: string): boolean {
    const now = this.options.clock.now();
    const until = this.recent.get(key);
    if (until !== undefined && until > now) return true;
    this.recent.set(key, now + 600_000);
    if (this.recent.size > 5_000) {
      for (const [k, t] of this.recent)
        if (t <= now || this.recent.size > 4_000) this.recent.delete(k);
    }
    return false;
  }

  async downloadImages(
    files: Partial<Record<ImageSlot, SlackFile>>,
  ): Promise<Partial<Record<ImageSlot, ImageInput>>> {
    const entries = Object.entries(files) as [ImageSlot, SlackFile][];
    const images: Partial<Record<ImageSlot, ImageInput>> = {};
    await Promise.all(
      entries.map(async ([slot, file]) => {
        const bytes = await this.options.fetchImage(file);
        images[slot] = { bytes, ...(file.name ? { name: file.name } : {}) };
      }),
    );
    return images;
  }

  /** Downloads MiniMax-H3 files in order; `role` marks them all (the form's references field). */
  async downloadFiles(files: SlackFile[], role?: MediaRole): Promise<MediaInput[]> {
    return Promise.all(
      files.map(async (file) => ({
        bytes: await this.options.fetchImage(file),
        ...(file.name ? { name: file.name } : {}),
        ...(file.mimetype ? { contentType: file.mimetype } : {}),
        ...(role ? { role } : {}),
      })),
    );
  }

  /**
   * A new request: hold the quota (allowlists and quotas decided before any download or post),
   * download and check it (no paid call), post its status message, then submit with the
   * message's ts already in `origin.ref`. Returns undefined when refused (the user was told why,
   * in one ephemeral sentence). Posting before the submit means a conversation the bot cannot
   * write to never costs a task.
   */
  async submitNew(
    place: SlackPlace,
    dedupeKey: string,
    notify: Notify,
    build: () => Promise<RawVideoRequest>,
  ): Promise<Job | undefined> {
    const origin = await this.checkedOrigin(place, notify);
    if (!origin) return undefined;
    const ticket = await this.admit(origin, notify);
    if (!ticket) return undefined;
    let raw: RawVideoRequest;
    let request: VideoRequest;
    try {
      raw = await withProbes(await build());
      // Checked as the engine will (DEFAULT_MODEL included) before the status message is posted.
      request = (await checkRequest(withDefaultModel(raw, this.options.config.DEFAULT_MODEL)))
        .request;
    } catch (err) {
      await this.release(ticket);
      await this.refuse(err, notify, origin.locale);
      return undefined;
    }
    return this.postThenSubmit(place, origin, request, notify, ticket, (o) =>
      this.options.service.submit(raw, o, { dedupeKey, ticket }),
    );
  }

  /**
   * Regenerate: the same request and images as `jobId`, for whoever clicked. Variations
   * (`vary`): the same, changed as core/variation.ts decides, which the status message states.
   */
  async resubmit(
    jobId: string,
    place: SlackPlace,
    dedupeKey: string,
    notify: Notify,
    vary = false,
    upscale = false,
  ) {
    const old = await this.options.service.get(jobId);
    if (!old) {
      await notify('I can no longer find that video, so it cannot be made again; use /video.');
      return undefined;
    }
    const origin = await this.checkedOrigin(place, notify);
    if (!origin) return undefined;
    const ticket = await this.admit(origin, notify);
    if (!ticket) return undefined;
    let request: VideoRequest;
    try {
      request = upscale ? upscaleOf(old) : vary ? varyRequest(old.request).request : old.request;
    } catch (err) {
      await this.release(ticket);
      await this.refuse(err, notify, origin.locale);
      return undefined;
    }
    return this.postThenSubmit(place, origin, request, notify, ticket, (o) =>
      this.options.service.resubmit(jobId, o, {
        dedupeKey,
        ticket,
        ...(vary ? { vary: true } : {}),
        ...(upscale ? { upscale: true } : {}),
      }),
    );
  }

  /** Gives a hold back; a failure is logged, never shown (the user hears why they were refused). */
  private async release(ticket: AdmissionTicket): Promise<void> {
    await ticket
      .release()
      .catch((err: unknown) =>
        this.options.logger.warn({ err }, 'could not give the quota hold back'),
      );
  }

  /** The quota hold for one request, or undefined when refused (the user was told why). */
  private async admit(origin: JobOrigin, notify: Notify): Promise<AdmissionTicket | undefined> {
    try {
      return await this.options.service.admit(origin);
    } catch (err) {
      await this.refuse(err, notify);
      return undefined;
    }
  }

  private async postThenSubmit(
    place: SlackPlace,
    origin: JobOrigin,
    request: VideoRequest,
    notify: Notify,
    ticket: AdmissionTicket,
    submit: (origin: JobOrigin) => Promise<Job>,
  ): Promise<Job | undefined> {
    const { api, messages, logger, clock } = this.options;
    const now = clock.now();
    // Rendered before the job exists: no id yet, so no buttons until the first progress edit.
    const draft = newJobRecord({ id: '', request, origin, now });
    let ref: MessageRef;
    try {
      ref = await messages.postDraft(draft, place.threadTs);
    } catch (err) {
      await this.release(ticket);
      const code = slackErrorCode(err);
      logger.warn({ err, code }, 'could not post the status message');
      await notify(
        code && NO_ACCESS.has(code)
          ? "I can't post in this conversation; add me with /invite, then try again."
          : 'Slack did not accept my status message, so the video was not started; please try again.',
      );
      return undefined;
    }
    origin.ref.statusTs = ref.ts;
    origin.ref.channel = ref.channel;
    let job: Job;
    try {
      job = await submit(origin);
    } catch (err) {
      await api.deleteMessage(ref).catch((e: unknown) => logger.warn({ err: e }, 'delete failed'));
      await this.refuse(err, notify, origin.locale);
      return undefined;
    }
    // A repeated delivery returned the first job, which has its own message: drop this one.
    if (job.origin.ref.statusTs !== ref.ts) {
      await api.deleteMessage(ref).catch((e: unknown) => logger.warn({ err: e }, 'delete failed'));
    }
    return job;
  }

  /** Tells the user why a request was refused, in their language; logs what is not their mistake. */
  async refuse(err: unknown, notify: Notify, locale?: string): Promise<void> {
    const botError = asBotError(err);
    if (!(err instanceof InputError || err instanceof PolicyError)) {
      if (err instanceof BotError) this.options.logger.warn({ err }, 'Slack request refused');
      else this.options.logger.error({ err }, 'Slack request failed');
    }
    await notify(messageFor(botError, locale));
  }
}
