import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Deliverer, DeliveryResult, VideoFile } from '../core/delivery.js';
import { BotError } from '../core/errors.js';
import type { Job } from '../core/jobs/job.js';
import { type RetryPlan, retrying } from '../core/retry-policy.js';
import type { VideoService } from '../core/video-service.js';
import { type RenderedMessage, uploadComment } from './blocks.js';
import type { StatusMessages } from './progress-message.js';
import { type SlackApi, slackErrorCode, UploadHttpError } from './slack-api.js';

/** Slack's per-file limit (1 GB); admins may set a lower one, which Slack reports on upload. */
export const SLACK_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/** Upload errors that mean "too big here" rather than "not allowed here". */
const TOO_LARGE = new Set(['file_upload_size_restricted', 'file_too_large']);
/**
 * The whole upload flow after a 5xx or dropped connection: 1 s, 2 s (jittered), three tries. An
 * `ok:false` other than Slack's internal_error/fatal_error is final (see `uploadWithRetries`).
 * Discord needs no such plan: discord.js retries its own 429s and 5xx.
 */
export const SLACK_UPLOAD_RETRY: RetryPlan = {
  maxAttempts: 3,
  backoff: { baseMs: 1_000, maxMs: 30_000 },
};

export interface SlackDelivererOptions {
  api: SlackApi;
  messages: StatusMessages;
  service: VideoService;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** Default SLACK_MAX_UPLOAD_BYTES. */
  maxUploadBytes?: number;
  /** Pause before the first retry of the upload flow, then doubled with jitter. Default 1 s (SLACK_UPLOAD_RETRY). */
  retryDelayMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

/**
 * Finishes a Slack job: the MP4 goes into the status message's thread with the prompt and
 * settings; the status message itself is then edited (by the `done` event) to link to it.
 * Idempotent across restarts: `origin.ref.fileId` is saved right after the upload, and a job
 * that has one is not uploaded again.
 */
export class SlackDeliverer implements Deliverer {
  constructor(private readonly options: SlackDelivererOptions) {}

  async deliver(job: Job, video: VideoFile): Promise<DeliveryResult> {
    const ref = job.origin.ref;
    if (typeof ref.fileId === 'string' || ref.linkPosted === true) {
      const url = typeof ref.filePermalink === 'string' ? ref.filePermalink : video.fallbackUrl;
      return { ...(url ? { resultUrl: url } : {}), ref: {} };
    }
    // A crash between Slack sharing the file and `fileId` being saved leaves only the reserved
    // id: if that file reached the channel, the video is already posted.
    if (typeof ref.pendingFileId === 'string') {
      const prior = await this.options.api.fileShared(ref.pendingFileId).catch((err: unknown) => {
        this.options.logger.warn({ err, jobId: job.id }, 'could not check the earlier upload');
        return undefined;
      });
      if (prior?.shared) {
        const saved = {
          fileId: ref.pendingFileId,
          ...(prior.permalink ? { filePermalink: prior.permalink } : {}),
        };
        await this.options.service.updateOriginRef(job.id, saved);
        return { ...(prior.permalink ? { resultUrl: prior.permalink } : {}), ref: saved };
      }
    }
    const message = await this.options.messages.ensure(job).catch(() => undefined);
    const channel = message?.channel ?? String(ref.channel ?? job.origin.channelId);
    const threadTs = typeof ref.threadTs === 'string' ? ref.threadTs : message?.ts;
    const max = this.options.maxUploadBytes ?? SLACK_MAX_UPLOAD_BYTES;
    if (video.bytes > max) return this.postLink(job, video, channel, threadTs, 'too_large');

    // chat:write.public let the status message in without joining; sharing a file needs it.
    await this.options.api.joinChannel(channel);
    let uploaded: { fileId: string; permalink?: string } | undefined;
    try {
      uploaded = await this.uploadWithRetries(job, video, channel, threadTs);
    } catch (err) {
      // The video is paid for: whatever Slack refused, the user still gets to it by a link.
      const code = slackErrorCode(err) ?? 'upload_failed';
      this.options.logger.warn({ err, jobId: job.id, code }, 'Slack upload refused; linking');
      return this.postLink(job, video, channel, threadTs, TOO_LARGE.has(code) ? 'too_large' : code);
    }
    const permalink =
      uploaded.permalink ??
      (await this.options.api.filePermalink(uploaded.fileId).catch(() => undefined));
    const saved = { fileId: uploaded.fileId, ...(permalink ? { filePermalink: permalink } : {}) };
    await this.options.service.updateOriginRef(job.id, saved);
    return { ...(permalink ? { resultUrl: permalink } : {}), ref: saved };
  }

  private async uploadWithRetries(job: Job, video: VideoFile, channel: string, threadTs?: string) {
    const base = SLACK_UPLOAD_RETRY.backoff;
    const plan = {
      ...SLACK_UPLOAD_RETRY,
      backoff: { ...base, baseMs: this.options.retryDelayMs ?? base.baseMs },
    };
    return retrying(
      {
        plan,
        clock: this.options.clock,
        random: this.options.random ?? Math.random,
        signal: this.options.signal,
        // An `ok:false` answer other than Slack's own internal errors will be the same next time.
        judge: (err) => {
          const code = slackErrorCode(err);
          return {
            retry: code === undefined || code === 'internal_error' || code === 'fatal_error',
          };
        },
        onRetry: ({ err, attempt, delayMs }) =>
          this.options.logger.warn(
            {
              jobId: job.id,
              attempt,
              delayMs,
              status: err instanceof UploadHttpError ? err.statusCode : undefined,
              code: slackErrorCode(err),
            },
            'Slack upload failed; retrying',
          ),
      },
      () =>
        this.options.api.uploadVideo({
          path: video.path,
          bytes: video.bytes,
          filename: `video-${job.id.slice(0, 12)}.mp4`,
          title: titleOf(job),
          channel,
          ...(threadTs ? { threadTs } : {}),
          comment: uploadComment(job),
          onReserved: async (fileId) => {
            await this.options.service.updateOriginRef(job.id, { pendingFileId: fileId });
          },
        }),
    );
  }

  private async postLink(
    job: Job,
    video: VideoFile,
    channel: string,
    threadTs: string | undefined,
    reason: string,
  ): Promise<DeliveryResult> {
    const why =
      reason === 'too_large'
        ? 'The video is too big to upload here'
        : `Slack did not accept the video upload here (${reason})`;
    if (!video.fallbackUrl) {
      throw new BotError({
        code: 'slack_upload_refused',
        params: { tooLarge: reason === 'too_large' ? 1 : 0, reason },
        message: `Slack refused the upload (${reason}) and no fallback link exists`,
      });
    }
    const expires = video.fallbackUrlExpiresAt
      ? ` (the link works until <!date^${Math.floor(video.fallbackUrlExpiresAt / 1000)}^{date_short_pretty} {time}|${new Date(video.fallbackUrlExpiresAt).toISOString()}>)`
      : '';
    const text = `${why}, so here is a link: <${video.fallbackUrl}|download the MP4>${expires}.`;
    const message: RenderedMessage = {
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    };
    try {
      await this.options.api.postMessage(channel, message, threadTs);
    } catch (err) {
      // Not even a message gets into that conversation: the requester gets the link in a DM.
      this.options.logger.warn({ err, jobId: job.id }, 'link not postable in the channel; DM');
      await this.options.api.postMessage(job.origin.userId, message);
    }
    await this.options.service.updateOriginRef(job.id, { linkPosted: true });
    return { resultUrl: video.fallbackUrl, ref: { linkPosted: true } };
  }
}

/** File titles are shown as typed (no entities), so angle brackets are swapped for look-alikes. */
function titleOf(job: Job): string {
  const prompt = job.request.prompt.trim().replace(/</g, '‹').replace(/>/g, '›');
  if (!prompt) return 'Generated video';
  return prompt.length > 80 ? `${prompt.slice(0, 80)}…` : prompt;
}
