import { readFile } from 'node:fs/promises';
import { type APIMessage, DiscordAPIError, type RawFile } from 'discord.js';
import type { Logger } from 'pino';
import type { Deliverer, DeliveryResult, VideoFile } from '../core/delivery.js';
import type { Job } from '../core/jobs/job.js';
import type { VideoService } from '../core/video-service.js';
import { DEFAULT_UPLOAD_LIMIT_BYTES, discordRefOf, messageLink } from './discord-ref.js';
import { langOf, t } from './i18n.js';
import { discordCode, type MessageEditor } from './message-editor.js';
import { renderDone } from './progress-message.js';
import type { ProgressUpdater } from './progress-updater.js';

export interface DiscordDelivererOptions {
  updater: Pick<ProgressUpdater, 'finish'>;
  editor: Pick<MessageEditor, 'edit' | 'post' | 'dm'>;
  service: Pick<VideoService, 'updateOriginRef'>;
  logger: Logger;
}

/** 40005 Request entity too large; 10008 Unknown Message; 30046 too many edits of an old message. */
const TOO_LARGE = 40005;
const CANNOT_EDIT = new Set([10008, 30046, 50005]);
/**
 * "The bot cannot post here": 50001 Missing Access, 50013 Missing Permissions, 10003 Unknown
 * Channel. Slash commands work in channels the bot cannot see, and once the interaction token
 * has expired only the bot token is left, so a long-queued job meets these at delivery.
 */
const CANNOT_POST_HERE = new Set([50001, 50013, 10003]);

function cannotPostHere(err: unknown): boolean {
  const code = discordCode(err);
  if (code !== undefined && CANNOT_POST_HERE.has(code)) return true;
  return err instanceof DiscordAPIError && err.status === 403 && code !== TOO_LARGE;
}

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/**
 * Finishes a Discord job: the progress message is edited to carry the MP4 and the settings used,
 * or a link when the file is over the interaction's upload limit. Editing the same message is
 * naturally idempotent, so a delivery repeated after a restart never posts the video twice.
 */
export class DiscordDeliverer implements Deliverer {
  constructor(private readonly o: DiscordDelivererOptions) {}

  async deliver(job: Job, video: VideoFile): Promise<DeliveryResult> {
    const ref = discordRefOf(job);
    if (ref.deliveredMessageId)
      return { resultUrl: messageLink(ref, ref.deliveredMessageId), ref: {} };
    const limit = ref.attachmentSizeLimit ?? DEFAULT_UPLOAD_LIMIT_BYTES;
    let done: APIMessage;
    try {
      if (video.bytes > limit) {
        done = await this.finish(job, linkLine(job, video), []);
      } else {
        const file = await fileOf(video);
        try {
          done = await this.finish(job, undefined, [file]);
        } catch (err) {
          // The limit we were told can be wrong (Discord issue 8572); a link still gets it to the user.
          if (discordCode(err) !== TOO_LARGE) throw err;
          this.o.logger.warn({ jobId: job.id, bytes: video.bytes }, 'upload refused as too large');
          done = await this.finish(job, linkLine(job, video), []);
        }
      }
    } catch (err) {
      if (!cannotPostHere(err)) throw err;
      return this.deliverPrivately(job, video, err);
    }
    return {
      resultUrl: messageLink(ref, done.id),
      ref: { deliveredMessageId: done.id },
    };
  }

  /**
   * The job's channel refused the bot (after the token expired): the video is paid for, so it
   * goes to the requester's DMs; if even that is refused, the job keeps its link (PUBLIC_URL
   * or MiniMax's), which /video-status shows. Only with no link at all does delivery fail.
   */
  private async deliverPrivately(
    job: Job,
    video: VideoFile,
    cause: unknown,
  ): Promise<DeliveryResult> {
    const ref = discordRefOf(job);
    const lang = langOf(job.origin.locale);
    const code = String(discordCode(cause) ?? 403);
    this.o.logger.warn({ jobId: job.id, code }, 'cannot post in the channel; sending a DM');
    const intro = t(lang, 'dmFallback', { channel: ref.channelId, code });
    const fits = video.bytes <= DEFAULT_UPLOAD_LIMIT_BYTES;
    try {
      const { message, channelId } = await this.o.editor.dm(
        job.origin.userId,
        fits ? intro : `${intro}\n${linkLine(job, video)}`,
        fits ? [await fileOf(video)] : [],
      );
      const saved = { deliveredMessageId: message.id, deliveredChannelId: channelId };
      await this.o.service.updateOriginRef(job.id, saved);
      const dmLink = `https://discord.com/channels/@me/${channelId}/${message.id}`;
      return { resultUrl: video.fallbackUrl ?? dmLink, ref: saved };
    } catch (err) {
      this.o.logger.warn({ err, jobId: job.id }, 'DM refused too');
      if (!video.fallbackUrl) throw cause;
      return { resultUrl: video.fallbackUrl, ref: {} };
    }
  }

  /** Edits the job's message; when it cannot be edited any more, posts the result as a reply. */
  private finish(job: Job, extra: string | undefined, files: RawFile[]): Promise<APIMessage> {
    const view = renderDone(job, extra);
    return this.o.updater.finish(job, async () => {
      try {
        return await this.o.editor.edit(job, view, files);
      } catch (err) {
        const code = discordCode(err);
        if (code === TOO_LARGE || code === undefined || !CANNOT_EDIT.has(code)) throw err;
        this.o.logger.warn({ jobId: job.id, code }, 'cannot edit the message; posting the video');
        const posted = await this.o.editor.post(discordRefOf(job), view, files);
        await this.o.service.updateOriginRef(job.id, { deliveredMessageId: posted.id });
        return posted;
      }
    });
  }
}

async function fileOf(video: VideoFile): Promise<RawFile> {
  return { name: 'hailuo-video.mp4', data: await readFile(video.path), contentType: 'video/mp4' };
}

function linkLine(job: Job, video: VideoFile): string {
  const lang = langOf(job.origin.locale);
  if (!video.fallbackUrl) return t(lang, 'tooBigNoLink', { mb: mb(video.bytes) });
  const line = t(lang, 'tooBigLink', { mb: mb(video.bytes), url: video.fallbackUrl });
  if (!video.fallbackUrlExpiresAt) return line;
  const when = `<t:${Math.floor(video.fallbackUrlExpiresAt / 1000)}:R>`;
  return `${line}\n${t(lang, 'linkExpires', { when })}`;
}
