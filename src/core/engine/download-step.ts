import { join } from 'node:path';
import { backoffDelayMs, POLL_BACKOFF } from '../backoff.js';
import { DownloadExpiredError, downloadVideo } from '../downloader.js';
import { asBotError, BotError } from '../errors.js';
import type { Job } from '../jobs/job.js';
import { failureOf } from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';

/** files/retrieve + download attempts (a fresh link each time) before the job fails. */
export const MAX_DOWNLOAD_ATTEMPTS = 4;
/** One download attempt may take this long; the stream itself also has an idle timeout. */
export const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
/**
 * MiniMax does not say how long a download link lives (1 h and 9 h are both reported,
 * research/minimax-api.md §8); assume the shorter so a link we offer never outlives its promise.
 */
export const DOWNLOAD_URL_TTL_MS = 3_600_000;

export function videoPathOf(dataDir: string, jobId: string): string {
  return join(dataDir, 'videos', `${jobId}.mp4`);
}

/**
 * `downloading` → `uploading`: asks files/retrieve for a link and streams the MP4 to
 * DATA_DIR/videos/<job>.mp4 at once (the link expires). An expired link means a new retrieve.
 */
export async function downloadStep(ctx: RunContext, run: JobRun, start: Job): Promise<Job> {
  let job = start;
  const destPath = videoPathOf(ctx.dataDir, job.id);
  let lastError: unknown;

  for (let attempt = 1; attempt <= MAX_DOWNLOAD_ATTEMPTS; attempt++) {
    run.signal.throwIfAborted();
    if (attempt > 1 && !(lastError instanceof DownloadExpiredError)) {
      await run.sleep(backoffDelayMs(attempt - 1, POLL_BACKOFF, ctx.random()));
    }
    try {
      const file = await ctx.queries.send(run.signal, () =>
        ctx.client.retrieveFile(job.fileId!, run.signal),
      );
      const retrievedAt = ctx.clock.now();
      job = await ctx.records.update(job.id, {
        downloadUrl: file.downloadUrl,
        downloadUrlExpiresAt: retrievedAt + DOWNLOAD_URL_TTL_MS,
      });
      const { bytes } = await downloadVideo({
        url: file.downloadUrl,
        ...(file.backupDownloadUrl ? { backupUrl: file.backupDownloadUrl } : {}),
        destPath,
        // A runaway or hostile file must not fill DATA_DIR (issue #12).
        maxBytes: ctx.config.MAX_VIDEO_MB * 1_048_576,
        timeoutMs: DOWNLOAD_TIMEOUT_MS,
        logger: run.logger,
        signal: run.signal,
      });
      run.logger.info({ bytes }, 'video saved');
      return ctx.records.transition(job.id, 'uploading', 'video saved', {
        videoPath: destPath,
        videoBytes: bytes,
      });
    } catch (err) {
      run.signal.throwIfAborted();
      lastError = err;
      const retryable = err instanceof BotError ? err.retryable : true;
      if (!retryable) break;
      run.logger.warn({ err, attempt }, 'download failed; retrying with a fresh link');
    }
  }
  run.logger.error({ err: lastError }, 'download failed');
  return ctx.records.transition(job.id, 'failed', 'download failed', {
    error: failureOf(asBotError(lastError, job.id)),
  });
}
