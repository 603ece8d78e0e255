import { stat } from 'node:fs/promises';
import type { VideoFile } from '../delivery.js';
import { asBotError, BotError } from '../errors.js';
import type { Job } from '../jobs/job.js';
import { failureOf } from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';
import { LostClaimError } from './transition.js';

/** The link offered when the file is too big to upload: ours if PUBLIC_URL is set, else MiniMax's. */
export function fallbackOf(
  ctx: RunContext,
  job: Job,
): Pick<VideoFile, 'fallbackUrl' | 'fallbackUrlExpiresAt'> {
  const publicUrl = ctx.config.PUBLIC_URL?.replace(/\/+$/, '');
  if (publicUrl) {
    return {
      fallbackUrl: `${publicUrl}/videos/${job.id}.mp4`,
      fallbackUrlExpiresAt:
        (job.finishedAt ?? ctx.clock.now()) + ctx.config.VIDEO_LINK_TTL_H * 3_600_000,
    };
  }
  if (!job.downloadUrl) return {};
  return {
    fallbackUrl: job.downloadUrl,
    ...(job.downloadUrlExpiresAt ? { fallbackUrlExpiresAt: job.downloadUrlExpiresAt } : {}),
  };
}

/**
 * `uploading` → `done`: hands the file to the platform's Deliverer. Deliverers are idempotent, so
 * this step simply runs again after a restart. A CLI job with no deliverer is done once the file
 * is on disk; a chat job whose adapter is not running in this process stays `uploading` (it would
 * otherwise be "done" without anyone seeing it) and is delivered by the next start that has it.
 */
export async function deliverStep(
  ctx: RunContext,
  run: JobRun,
  start: Job,
): Promise<Job | undefined> {
  const job = start;
  const path = job.videoPath!;
  let bytes = job.videoBytes;
  try {
    bytes = (await stat(path)).size;
  } catch (err) {
    run.logger.error({ err }, 'downloaded video is missing');
    return ctx.records.transition(job.id, 'failed', 'video file missing', {
      error: failureOf(new BotError({ code: 'video_missing' })),
    });
  }
  const video: VideoFile = { path, bytes: bytes ?? 0, ...fallbackOf(ctx, job) };
  const deliverer = ctx.deliverers.get(job.origin.platform);
  if (!deliverer && job.origin.platform !== 'cli') {
    run.logger.warn(
      { platform: job.origin.platform },
      'no adapter for this platform here; the video waits for a start that has one',
    );
    return undefined;
  }
  if (!deliverer) {
    return ctx.records.transition(job.id, 'done', 'video saved (no deliverer)', {
      ...(ctx.config.PUBLIC_URL && video.fallbackUrl ? { resultUrl: video.fallbackUrl } : {}),
    });
  }
  // The last check before a post nobody can take back: a process that lost the job posts nothing.
  if (!(await ctx.records.holds(job.id))) throw new LostClaimError(job.id);
  let result: Awaited<ReturnType<typeof deliverer.deliver>>;
  try {
    result = await deliverer.deliver(job, video);
  } catch (err) {
    const botError = asBotError(err, job.id);
    run.logger.error({ err }, 'delivery failed');
    return ctx.records.transition(job.id, 'failed', 'delivery failed', {
      error: failureOf(botError),
    });
  }
  // The adapter may have saved message ids meanwhile; merge into the current record, not `job`.
  return ctx.records.transition(job.id, 'done', 'delivered', (current) => ({
    origin: { ...current.origin, ref: { ...current.origin.ref, ...(result.ref ?? {}) } },
    ...(result.resultUrl ? { resultUrl: result.resultUrl } : {}),
  }));
}
