import { join } from 'node:path';
import { DownloadExpiredError, downloadVideo } from '../downloader.js';
import { asBotError } from '../errors.js';
import type { Job } from '../jobs/job.js';
import { DOWNLOAD_RETRY, isRetryable, retrying } from '../retry-policy.js';
import { failureOf } from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';

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
  const destPath = videoPathOf(ctx.dataDir, start.id);
  const attempt = { first: true };
  let saved: { job: Job; bytes: number };
  try {
    saved = await retrying(
      {
        plan: DOWNLOAD_RETRY,
        clock: ctx.clock,
        random: ctx.random,
        signal: run.signal,
        // An expired link is fixed by the fresh one the next retrieve gives: no need to wait.
        judge: (err) =>
          err instanceof DownloadExpiredError
            ? { retry: true, afterMs: 0 }
            : { retry: isRetryable(err) },
        onRetry: ({ err, attempt }) =>
          run.logger.warn({ err, attempt }, 'download failed; retrying with a fresh link'),
      },
      () => downloadOnce(ctx, run, start, destPath, attempt),
    );
  } catch (err) {
    run.signal.throwIfAborted();
    run.logger.error({ err }, 'download failed');
    return ctx.records.transition(start.id, 'failed', 'download failed', {
      error: failureOf(asBotError(err, start.id)),
    });
  }
  run.logger.info({ bytes: saved.bytes }, 'video saved');
  return ctx.records.transition(saved.job.id, 'uploading', 'video saved', {
    videoPath: destPath,
    videoBytes: saved.bytes,
  });
}

/**
 * A fresh link for the video: files/retrieve on V1; on V2 the task's own query answer, whose
 * link also expires (the first attempt uses the link the finishing query brought).
 */
async function freshLink(
  ctx: RunContext,
  run: JobRun,
  start: Job,
  attempt: { first: boolean },
): Promise<{ downloadUrl: string; backupDownloadUrl?: string }> {
  if (start.fileId) {
    return ctx.queries.send(run.signal, () => ctx.client.retrieveFile(start.fileId!, run.signal));
  }
  const reuse =
    attempt.first && start.downloadUrl && (start.downloadUrlExpiresAt ?? 0) > ctx.clock.now();
  attempt.first = false;
  if (reuse) return { downloadUrl: start.downloadUrl! };
  const info = await ctx.queries.send(run.signal, () =>
    ctx.client.queryTask(start.taskId!, run.signal, 'v2'),
  );
  if (!info.downloadUrl) throw new DownloadExpiredError(410);
  return { downloadUrl: info.downloadUrl };
}

/** One fresh link and one streamed download of it. */
async function downloadOnce(
  ctx: RunContext,
  run: JobRun,
  start: Job,
  destPath: string,
  attempt: { first: boolean },
) {
  const file = await freshLink(ctx, run, start, attempt);
  const retrievedAt = ctx.clock.now();
  const job = await ctx.records.update(start.id, {
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
  return { job, bytes };
}
