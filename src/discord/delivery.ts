import { readFile } from 'node:fs/promises';
import type { APIMessage, RawFile } from 'discord.js';
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
  editor: Pick<MessageEditor, 'edit' | 'post'>;
  service: Pick<VideoService, 'updateOriginRef'>;
  logger: Logger;
}

/** 40005 Request entity too large; 10008 Unknown Message; 30046 too many edits of an old message. */
const TOO_LARGE = 40005;
const CANNOT_EDIT = new Set([10008, 30046, 50005]);

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
    let message: APIMessage;
    if (video.bytes > limit) {
      message = await this.finish(job, linkLine(job, video), []);
    } else {
      const file: RawFile = {
        name: 'hailuo-video.mp4',
        data: await readFile(video.path),
        contentType: 'video/mp4',
      };
      try {
        message = await this.finish(job, undefined, [file]);
      } catch (err) {
        // The limit we were told can be wrong (Discord issue 8572); a link still gets it to the user.
        if (discordCode(err) !== TOO_LARGE) throw err;
        this.o.logger.warn({ jobId: job.id, bytes: video.bytes }, 'upload refused as too large');
        message = await this.finish(job, linkLine(job, video), []);
      }
    }
    return {
      resultUrl: messageLink(ref, message.id),
      ref: { deliveredMessageId: message.id },
    };
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

function linkLine(job: Job, video: VideoFile): string {
  const lang = langOf(job.origin.locale);
  if (!video.fallbackUrl) return t(lang, 'tooBigNoLink', { mb: mb(video.bytes) });
  const line = t(lang, 'tooBigLink', { mb: mb(video.bytes), url: video.fallbackUrl });
  if (!video.fallbackUrlExpiresAt) return line;
  const when = `<t:${Math.floor(video.fallbackUrlExpiresAt / 1000)}:R>`;
  return `${line}\n${t(lang, 'linkExpires', { when })}`;
}
