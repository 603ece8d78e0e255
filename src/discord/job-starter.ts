import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { asBotError, InputError, PolicyError } from '../core/errors.js';
import type { Job, JobOrigin } from '../core/jobs/job.js';
import type { AdmissionTicket, VideoService } from '../core/video-service.js';
import { messageFor } from '../messages/index.js';
import type { DiscordRef } from './discord-ref.js';
import { type AttachmentFetcher, type PendingRequest, resolveImages } from './inputs.js';
import type { MessageEditor } from './message-editor.js';
import { renderRefusal } from './progress-message.js';
import type { ProgressUpdater } from './progress-updater.js';
import { scrubError } from './scrub.js';

export interface JobStarterOptions {
  service: VideoService;
  editor: Pick<MessageEditor, 'editRef'>;
  updater: Pick<ProgressUpdater, 'onEvent'>;
  fetchImage: AttachmentFetcher;
  clock: Clock;
  logger: Logger;
}

/** Who asked, without the message reference (the caller fills `ref`). */
export type OriginBase = Omit<JobOrigin, 'ref'>;

/**
 * The part every entry point shares once its message exists: hold the quota (policy first, so a
 * refused user costs no download), fetch the images, submit, show the first progress view; or
 * show the core's one-sentence refusal in that same message.
 */
export class JobStarter {
  constructor(private readonly o: JobStarterOptions) {}

  async start(
    origin: OriginBase,
    ref: DiscordRef,
    dedupeKey: string,
    work: PendingRequest | { resubmitOf: string; vary?: boolean; upscale?: boolean },
    /** Taken by the caller when it had to decide before posting (message triggers). */
    admitted?: AdmissionTicket,
  ): Promise<Job | undefined> {
    const full: JobOrigin = { ...origin, ref };
    let ticket = admitted;
    try {
      ticket ??= await this.o.service.admit(full);
      const job =
        'resubmitOf' in work
          ? await this.o.service.resubmit(work.resubmitOf, full, {
              dedupeKey,
              ticket,
              ...(work.vary ? { vary: true } : {}),
              ...(work.upscale ? { upscale: true } : {}),
            })
          : await this.o.service.submit(await resolveImages(work, this.o.fetchImage), full, {
              dedupeKey,
              ticket,
            });
      const now = this.o.clock.now();
      this.o.updater.onEvent({
        jobId: job.id,
        job,
        kind: 'state',
        state: job.state,
        elapsedMs: Math.max(0, now - job.createdAt),
        at: now,
      });
      return job;
    } catch (err) {
      await ticket
        ?.release()
        .catch((releaseErr: unknown) =>
          this.o.logger.warn({ err: releaseErr }, 'could not give the quota hold back'),
        );
      const e = asBotError(err);
      const expected = e instanceof InputError || e instanceof PolicyError;
      if (expected) this.o.logger.info({ code: e.code }, 'request refused');
      else this.o.logger.error({ err: scrubError(err) }, 'could not start a job');
      await this.o.editor
        .editRef(undefined, ref, renderRefusal(messageFor(e, origin.locale)))
        .catch((editErr) =>
          this.o.logger.warn({ err: scrubError(editErr) }, 'could not show the refusal'),
        );
      return undefined;
    }
  }
}
