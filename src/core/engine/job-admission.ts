import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import { type Job, type JobCost, type JobOrigin, newJobRecord } from '../jobs/job.js';
import type { SubmitPolicy } from '../policy/submit-policy.js';
import type { CheckedImage, ImageSlot, VideoRequest } from '../request-types.js';
import type { QueueEntry, TaskScheduler } from '../scheduler/task-scheduler.js';
import type { ImageRetention } from './image-retention.js';
import type { RunContext } from './run-context.js';

/** The parts of the submit policy (src/core/policy) the engine uses. */
export type EnginePolicy = Pick<
  SubmitPolicy,
  'reserve' | 'settle' | 'remaining' | 'reserveSpend' | 'settleSpend' | 'refuseUnpriced'
>;

type Images = Partial<Record<ImageSlot, CheckedImage>>;

export interface JobAdmissionOptions {
  ctx: RunContext;
  scheduler: TaskScheduler;
  retention: ImageRetention;
  policy?: EnginePolicy;
  /** Default 128 random bits, base64url: the id is also the unguessable video link. */
  newId?: () => string;
}

/**
 * Turns a request into a durable queued job in two steps: `hold` decides the policy and holds
 * the quota under the future job id (before anything slow), `admit` stores images, record and
 * queue entry. A hold whose request goes no further is given back with `release`.
 */
export class JobAdmission {
  private readonly newId: () => string;

  constructor(private readonly options: JobAdmissionOptions) {
    this.newId = options.newId ?? newJobId;
  }

  /** Throws PolicyError when refused; else the quota is held under the returned job id. */
  async hold(origin: JobOrigin): Promise<string> {
    const jobId = this.newId();
    await this.options.policy?.reserve(origin, jobId);
    return jobId;
  }

  /** Gives back the hold of a request that goes no further; safe to repeat. */
  async release(jobId: string): Promise<void> {
    await this.options.policy?.settle(jobId, false);
  }

  async admit(
    request: VideoRequest,
    images: Images,
    origin: JobOrigin,
    jobId: string,
    cost?: JobCost,
  ): Promise<Job> {
    const { ctx } = this.options;
    const job = newJobRecord({ id: jobId, request, origin, now: ctx.clock.now() });
    if (cost) job.cost = cost;
    try {
      if (Object.keys(images).length > 0) await ctx.images.save(job.id, images);
      await ctx.records.insert(job);
    } catch (err) {
      await this.release(jobId);
      throw err;
    }
    // From here the job exists: its end settles the hold (JobEngine), even if enqueue fails.
    await this.options.scheduler.enqueue(entryOf(job));
    return ctx.records.cached(job.id) ?? job;
  }

  /** The images of `source` for Regenerate/Variations, kept for a day (see ImageRetention). */
  async imagesOf(source: Job): Promise<Images> {
    if (source.request.imageSlots.length === 0) return {};
    const gone = new InputError({ code: 'images_expired' });
    if (this.options.retention.isExpired(source)) throw gone;
    const images = await this.options.ctx.images.load(source.id);
    if (source.request.imageSlots.some((slot) => !images[slot])) throw gone;
    return images;
  }
}

export function entryOf(job: Job): QueueEntry {
  return {
    jobId: job.id,
    userKey: `${job.origin.platform}:${job.origin.userId}`,
    channelKey: `${job.origin.platform}:${job.origin.channelId}`,
    createdAt: job.createdAt,
  };
}

/**
 * 128 random bits, base64url, prefixed so the id (also a file name and link) never starts with
 * `-` or `_`: `--8Qun….mp4` reads as an option to every shell tool.
 */
export function newJobId(): string {
  return `v${randomBytes(16).toString('base64url')}`;
}
