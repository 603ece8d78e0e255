import { createReadStream } from 'node:fs';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { Clock } from '../core/clock.js';
import { BotError } from '../core/errors.js';
import { type RetryPlan, retrying } from '../core/retry-policy.js';
import type { RenderedMessage } from './blocks.js';

type WebClient = webApi.WebClient;

export interface SlackApiOptions {
  /** A WebClient built with `rejectRateLimitedCalls: true`, so 429s come back to us. */
  client: WebClient;
  clock: Clock;
  logger: Logger;
  botToken: string;
  /** Aborted on stop, to end rate-limit waits. */
  signal: AbortSignal;
  /** How long one upload POST may take before it is abandoned. Default 10 min. */
  uploadTimeoutMs?: number;
}

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface UploadedVideo {
  fileId: string;
  permalink?: string;
}

/** Slack Web API calls: only rate limits are retried, after Slack's own Retry-After. */
export const SLACK_API_RETRY: RetryPlan = {
  maxAttempts: 4,
  backoff: { baseMs: 1_000, maxMs: 60_000 },
};

/** How long a user's locale is remembered; a change in Slack shows up within this time. */
export const LOCALE_CACHE_MS = 60 * 60_000;

/** Seconds to wait when Slack says "rate limited", or undefined for any other failure. */
export function rateLimitOf(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number; data?: Record<string, unknown> };
  if (e?.code === 'slack_webapi_rate_limited_error') return e.retryAfter ?? 1;
  if (e?.code === 'slack_webapi_platform_error' && e.data?.error === 'ratelimited') {
    const meta = e.data.response_metadata as { retryAfter?: number } | undefined;
    return meta?.retryAfter ?? 1;
  }
  return undefined;
}

/** The `error` string of an `ok:false` answer (`channel_not_found`, ...), if that is what failed. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: unknown } };
  return e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string'
    ? e.data.error
    : undefined;
}

/**
 * The Web API calls the adapter makes, with Slack's rate limits honoured: a 429 (or an
 * `ok:false` `ratelimited`) waits `Retry-After` on the injected clock and tries again, and
 * `pausedUntil` tells the status-message pacer to hold its edits until then.
 */
export class SlackApi {
  pausedUntil = 0;
  private readonly locales = new Map<string, { locale: string | undefined; until: number }>();

  constructor(private readonly options: SlackApiOptions) {}

  /** Runs `fn`, waiting out rate limits (and only those) up to `attempts` tries in all. */
  async call<T>(method: string, fn: () => Promise<T>, attempts = 4): Promise<T> {
    const { clock, logger, signal } = this.options;
    return retrying(
      {
        plan: { ...SLACK_API_RETRY, maxAttempts: attempts },
        clock,
        // Slack says how long to wait, so the plan's jittered backoff is never used.
        random: () => 0,
        signal,
        judge: (err) => {
          const waitSec = rateLimitOf(err);
          if (waitSec === undefined) return { retry: false };
          const waitMs = Math.max(1, waitSec) * 1000;
          this.pausedUntil = Math.max(this.pausedUntil, clock.now() + waitMs);
          return { retry: true, afterMs: waitMs };
        },
        onRetry: ({ attempt, delayMs }) =>
          logger.warn(
            { method, retryAfterS: delayMs / 1000, attempt },
            'Slack rate limit; waiting',
          ),
      },
      fn,
    );
  }

  /**
   * The user's Slack locale (`en-US`, `zh-CN`, ...) from users.info with `include_locale`,
   * cached for LOCALE_CACHE_MS. Undefined when Slack does not say (no `users:read` scope, an
   * error): the caller speaks English then. One try only: a request must not wait on it.
   */
  async userLocale(userId: string): Promise<string | undefined> {
    const { clock, logger } = this.options;
    const now = clock.now();
    const cached = this.locales.get(userId);
    if (cached && cached.until > now) return cached.locale;
    let locale: string | undefined;
    try {
      const res = await this.call(
        'users.info',
        () => this.options.client.users.info({ user: userId, include_locale: true }),
        1,
      );
      locale = res.user?.locale;
    } catch (err) {
      logger.warn({ err, userId }, 'could not read the user locale; using English');
    }
    if (this.locales.size > 10_000) this.locales.clear();
    this.locales.set(userId, { locale, until: now + LOCALE_CACHE_MS });
    return locale;
  }

  async postMessage(
    channel: string,
    message: RenderedMessage,
    threadTs?: string,
  ): Promise<MessageRef> {
    const res = await this.call('chat.postMessage', () =>
      this.options.client.chat.postMessage({
        channel,
        text: message.text,
        ...(message.blocks.length ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
      }),
    );
    return { channel: res.channel ?? channel, ts: res.ts! };
  }

  /** One edit; no waiting here, the pacer reschedules after a rate limit. */
  async update(ref: MessageRef, message: RenderedMessage): Promise<void> {
    await this.call(
      'chat.update',
      () =>
        this.options.client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          text: message.text,
          blocks: message.blocks,
        }),
      1,
    );
  }

  async deleteMessage(ref: MessageRef): Promise<void> {
    await this.call('chat.delete', () =>
      this.options.client.chat.delete({ channel: ref.channel, ts: ref.ts }),
    );
  }

  async postEphemeral(
    channel: string,
    user: string,
    text: string,
    threadTs?: string,
  ): Promise<void> {
    await this.call('chat.postEphemeral', () =>
      this.options.client.chat.postEphemeral({
        channel,
        user,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
  }

  async openView(triggerId: string, view: webApi.View): Promise<void> {
    // A trigger id lives 3 s: waiting out a rate limit would only make it expire.
    await this.call(
      'views.open',
      () => this.options.client.views.open({ trigger_id: triggerId, view }),
      1,
    );
  }

  /**
   * Joins a public channel (channels:join), which sharing a file there needs: chat:write.public
   * lets the bot post status messages without being a member, but files.completeUploadExternal
   * answers `not_in_channel`. Private channels and DMs cannot be joined; that is not an error.
   */
  async joinChannel(channel: string): Promise<boolean> {
    try {
      await this.call('conversations.join', () =>
        this.options.client.conversations.join({ channel }),
      );
      return true;
    } catch (err) {
      this.options.logger.debug({ channel, code: slackErrorCode(err) }, 'channel not joined');
      return false;
    }
  }

  /** Files of the first message of a thread (a mention inside a thread about a photo). */
  async threadParentFiles(channel: string, threadTs: string): Promise<SlackFile[]> {
    const res = await this.call('conversations.replies', () =>
      this.options.client.conversations.replies({
        channel,
        ts: threadTs,
        limit: 1,
        inclusive: true,
      }),
    );
    const parent = res.messages?.[0] as { files?: SlackFile[] } | undefined;
    return parent?.files ?? [];
  }

  /** User ids in a user group (usergroups.users.list; needs the usergroups:read scope). */
  async usergroupMembers(usergroup: string): Promise<string[]> {
    const res = await this.call('usergroups.users.list', () =>
      this.options.client.usergroups.users.list({ usergroup }),
    );
    return res.users ?? [];
  }

  /**
   * The files v2 flow (what `files.uploadV2` does), streamed from disk so memory does not grow
   * with the video: get an upload URL, POST the bytes, then share the file into the thread.
   */
  async uploadVideo(args: {
    path: string;
    bytes: number;
    filename: string;
    title: string;
    channel: string;
    threadTs?: string;
    comment: string;
    /** Called with the file id Slack reserved, before any byte is sent (to persist it). */
    onReserved?: (fileId: string) => Promise<void>;
  }): Promise<UploadedVideo> {
    const { client } = this.options;
    const target = await this.call('files.getUploadURLExternal', () =>
      client.files.getUploadURLExternal({ filename: args.filename, length: args.bytes }),
    );
    await args.onReserved?.(target.file_id!);
    const res = await request(target.upload_url!, {
      method: 'POST',
      body: createReadStream(args.path),
      headers: {
        authorization: `Bearer ${this.options.botToken}`,
        'content-type': 'application/octet-stream',
        'content-length': String(args.bytes),
      },
      bodyTimeout: this.options.uploadTimeoutMs ?? 600_000,
      headersTimeout: this.options.uploadTimeoutMs ?? 600_000,
      signal: this.options.signal,
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new UploadHttpError(res.statusCode);
    const done = await this.call('files.completeUploadExternal', () =>
      client.files.completeUploadExternal({
        files: [{ id: target.file_id!, title: args.title }],
        channel_id: args.channel,
        ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
        initial_comment: args.comment,
      }),
    );
    const file = done.files?.[0] as { id?: string; permalink?: string } | undefined;
    return { fileId: file?.id ?? target.file_id!, permalink: file?.permalink };
  }

  /**
   * Whether a file the bot uploaded was shared into a conversation (files.info lists where),
   * and its permalink. A file never completed is not shared; one Slack no longer knows neither.
   */
  async fileShared(fileId: string): Promise<{ shared: boolean; permalink?: string }> {
    let res: Awaited<ReturnType<typeof this.options.client.files.info>>;
    try {
      res = await this.call('files.info', () => this.options.client.files.info({ file: fileId }));
    } catch (err) {
      if (slackErrorCode(err) === 'file_not_found' || slackErrorCode(err) === 'file_deleted')
        return { shared: false };
      throw err;
    }
    const file = res.file as
      | {
          permalink?: string;
          channels?: string[];
          groups?: string[];
          ims?: string[];
          shares?: Record<string, Record<string, unknown>>;
        }
      | undefined;
    const places = [...(file?.channels ?? []), ...(file?.groups ?? []), ...(file?.ims ?? [])];
    const shares = Object.values(file?.shares ?? {}).flatMap((byChannel) => Object.keys(byChannel));
    return {
      shared: places.length + shares.length > 0,
      ...(file?.permalink ? { permalink: file.permalink } : {}),
    };
  }

  async filePermalink(fileId: string): Promise<string | undefined> {
    const res = await this.call('files.info', () =>
      this.options.client.files.info({ file: fileId }),
    );
    return (res.file as { permalink?: string } | undefined)?.permalink;
  }
}

/** A Slack file object as events and view states carry it (the fields we read). */
export interface SlackFile {
  id: string;
  name?: string;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
  size?: number;
}

/** The upload host answered with something other than 200. */
export class UploadHttpError extends BotError {
  override name = 'UploadHttpError';
  constructor(readonly statusCode: number) {
    super({
      code: 'slack_upload_http',
      params: { status: statusCode },
      message: `Slack upload URL answered HTTP ${statusCode}`,
      // The whole upload flow is tried again with a fresh URL (SLACK_UPLOAD_RETRY).
      retryable: true,
    });
  }
}
