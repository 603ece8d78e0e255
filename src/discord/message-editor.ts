import { type APIMessage, DiscordAPIError, type RawFile, type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Job } from '../core/jobs/job.js';
import type { VideoService } from '../core/video-service.js';
import { type DiscordRef, discordRefOf } from './discord-ref.js';
import type { MessageView } from './progress-message.js';
import { scrubError } from './scrub.js';

export interface MessageEditorOptions {
  rest: REST;
  clock: Clock;
  logger: Logger;
  service: Pick<VideoService, 'updateOriginRef'>;
}

/** Discord error codes that mean "this interaction token can no longer be used". */
const MAX_REMEMBERED_DEAD_TOKENS = 1_000;
const TOKEN_GONE_CODES = new Set([50027, 10015, 10062]);

const UNKNOWN_MESSAGE = 10008;

export function isTokenGone(err: unknown): boolean {
  if (!(err instanceof DiscordAPIError)) return false;
  const code = Number(err.code);
  // A 404 "Unknown Message" means the message was deleted; the token itself is still fine.
  if (err.status === 404 && code === UNKNOWN_MESSAGE) return false;
  return err.status === 401 || err.status === 404 || TOKEN_GONE_CODES.has(code);
}

export function discordCode(err: unknown): number | undefined {
  return err instanceof DiscordAPIError ? Number(err.code) : undefined;
}

/**
 * Edits a job's message. Within the interaction token's 15 minutes it uses the interaction
 * webhook; after that, or once Discord refuses the token, it edits the same message through the
 * channel API with the bot token (a non-ephemeral reply is authored by the bot user).
 */
export class MessageEditor {
  /** Jobs whose token was refused, so a stale job snapshot never makes us try it again. */
  private readonly deadTokens = new Set<string>();

  constructor(private readonly opts: MessageEditorOptions) {}

  async edit(job: Job, view: MessageView, files: RawFile[] = []): Promise<APIMessage> {
    const ref = discordRefOf(job);
    return this.editRef(job.id, ref, view, files);
  }

  async editRef(
    jobId: string | undefined,
    ref: DiscordRef,
    view: MessageView,
    files: RawFile[] = [],
  ): Promise<APIMessage> {
    const body = {
      content: view.content,
      components: view.components,
      allowed_mentions: { parse: [] },
      // Listing only the new files replaces whatever the message carried before.
      ...(files.length > 0
        ? { attachments: files.map((f, i) => ({ id: String(i), filename: f.name })) }
        : {}),
    };
    if (this.canUseToken(jobId, ref)) {
      try {
        return (await this.opts.rest.patch(
          Routes.webhookMessage(ref.applicationId!, ref.interactionToken!, '@original'),
          { body, files, auth: false },
        )) as APIMessage;
      } catch (err) {
        if (!isTokenGone(err) || !ref.messageId) throw scrubError(err);
        await this.forgetToken(jobId);
      }
    }
    if (!ref.messageId) throw new Error('the job has no Discord message id to edit');
    return (await this.opts.rest
      .patch(Routes.channelMessage(ref.channelId, ref.messageId), { body, files })
      .catch((err: unknown) => {
        throw scrubError(err);
      })) as APIMessage;
  }

  /** Posts a new message in the job's channel (when its own message can no longer be edited). */
  async post(ref: DiscordRef, view: MessageView, files: RawFile[] = []): Promise<APIMessage> {
    return (await this.opts.rest.post(Routes.channelMessages(ref.channelId), {
      body: {
        content: view.content,
        components: view.components,
        allowed_mentions: { parse: [] },
        ...(ref.messageId
          ? { message_reference: { message_id: ref.messageId, fail_if_not_exists: false } }
          : {}),
        ...(files.length > 0
          ? { attachments: files.map((f, i) => ({ id: String(i), filename: f.name })) }
          : {}),
      },
      files,
    })) as APIMessage;
  }

  /**
   * Sends a message to a user's DMs (a DM channel is opened, or reused, with POST
   * /users/@me/channels). No buttons: a DM is not where the job's controls belong.
   */
  async dm(
    userId: string,
    content: string,
    files: RawFile[] = [],
  ): Promise<{ message: APIMessage; channelId: string }> {
    const channel = (await this.opts.rest
      .post(Routes.userChannels(), { body: { recipient_id: userId } })
      .catch((err: unknown) => {
        throw scrubError(err);
      })) as { id: string };
    const message = (await this.opts.rest
      .post(Routes.channelMessages(channel.id), {
        body: {
          content,
          allowed_mentions: { parse: [] },
          ...(files.length > 0
            ? { attachments: files.map((f, i) => ({ id: String(i), filename: f.name })) }
            : {}),
        },
        files,
      })
      .catch((err: unknown) => {
        throw scrubError(err);
      })) as APIMessage;
    return { message, channelId: channel.id };
  }

  private canUseToken(jobId: string | undefined, ref: DiscordRef): boolean {
    if (!ref.interactionToken || !ref.applicationId || ref.tokenDead) return false;
    if (jobId && this.deadTokens.has(jobId)) return false;
    return ref.tokenExpiresAt === undefined || this.opts.clock.now() < ref.tokenExpiresAt;
  }

  private async forgetToken(jobId: string | undefined): Promise<void> {
    if (!jobId) return;
    this.deadTokens.add(jobId);
    // The saved `tokenDead` flag is the durable record; this set only bridges the moment before
    // the job's next read, so it keeps the newest entries and cannot grow with finished jobs.
    if (this.deadTokens.size > MAX_REMEMBERED_DEAD_TOKENS) {
      const oldest = this.deadTokens.values().next().value;
      if (oldest !== undefined) this.deadTokens.delete(oldest);
    }
    this.opts.logger.info({ jobId }, 'interaction token refused; editing through the bot token');
    try {
      await this.opts.service.updateOriginRef(jobId, { tokenDead: true });
    } catch (err) {
      this.opts.logger.warn({ err, jobId }, 'could not save that the token is gone');
    }
  }
}
