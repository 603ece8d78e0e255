import { resolve } from 'node:path';
import { isTerminal, type Job, type JobOrigin } from '../core/jobs/job.js';
import { costLineOf } from '../core/pricing/cost-line.js';
import type { ProgressEvent } from '../core/progress.js';
import type { RawVideoRequest } from '../core/request-types.js';
import type { VideoService } from '../core/video-service.js';
import { describeRequest } from '../messages/describe-request.js';
import { renderMessage } from '../messages/index.js';
import { type CliContext, println } from './cli-context.js';
import { EXIT_FAILED, ExitError } from './exit-codes.js';
import { createProgressReporter } from './progress-bar.js';

/** Exit code of a `generate` interrupted by Ctrl+C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

export interface RunJobOptions {
  service: VideoService;
  raw: RawVideoRequest;
  /** Where to copy the finished MP4; kept in the job so a later `serve` honours it too. */
  outPath?: string;
  /** Who runs it, for the job record. */
  userId: string;
  ctx: CliContext;
}

/**
 * Submits one job and follows it to the end with a progress bar on stderr (stdout stays clean
 * for the result path). Resolves with the finished job; throws ExitError(1) when it fails.
 */
export async function runJob(options: RunJobOptions): Promise<Job> {
  const { service, ctx } = options;
  const reporter = createProgressReporter(ctx.stderr);
  const seen: ProgressEvent[] = [];
  let jobId: string | undefined;
  let settle: ((job: Job) => void) | undefined;
  const finished = new Promise<Job>((r) => {
    settle = r;
  });
  const onEvent = (event: ProgressEvent) => {
    reporter.update(event);
    if (isTerminal(event.state)) settle?.(event.job);
  };
  // Events can arrive before submit() resolves, so keep them until the job id is known.
  const unsubscribe = service.onProgress((event) => {
    if (jobId === undefined) seen.push(event);
    else if (event.jobId === jobId) onEvent(event);
  });
  const interrupted = new Promise<never>((_, reject) => {
    ctx.signal.addEventListener(
      'abort',
      () => reject(new ExitError(EXIT_INTERRUPTED, interruptedLine(jobId))),
      { once: true },
    );
  });
  try {
    const origin: JobOrigin = {
      platform: 'cli',
      userId: options.userId,
      channelId: 'terminal',
      ref: options.outPath ? { outPath: resolve(ctx.cwd, options.outPath) } : {},
    };
    const job = await service.submit(options.raw, origin);
    jobId = job.id;
    println(ctx.stderr, `Job ${job.id}: ${describeRequest(job.request)}`);
    const estimate = costLineOf(job);
    if (estimate) println(ctx.stderr, renderMessage(estimate, 'en')!);
    for (const event of seen.splice(0)) if (event.jobId === jobId) onEvent(event);
    // A job can end between submit() and the first event; the store has the last word.
    const current = await service.get(job.id);
    if (current && isTerminal(current.state)) settle?.(current);
    // Between events the elapsed time on the bar keeps moving.
    const ticker = setInterval(() => reporter.tick(), 1_000);
    const done = await Promise.race([finished, interrupted]).finally(() => clearInterval(ticker));
    reporter.stop();
    const cost = costLineOf(done);
    if (cost) println(ctx.stderr, renderMessage(cost, 'en')!);
    if (done.state !== 'done') {
      const why = done.error?.userMessage ?? done.reason ?? `the job ended as ${done.state}`;
      throw new ExitError(EXIT_FAILED, `Generation failed: ${why}`);
    }
    return done;
  } finally {
    reporter.stop();
    unsubscribe();
  }
}

function interruptedLine(jobId: string | undefined): string {
  if (!jobId) return 'Interrupted before the job was stored; nothing was sent to MiniMax.';
  return `Interrupted; job ${jobId} is stored and resumes the next time the bot runs on this DATA_DIR.`;
}

/** Where the user finds the video: the --out copy, or the file in DATA_DIR/videos. */
export function videoLocation(job: Job): string {
  const out = job.origin.ref['outPath'];
  if (typeof out === 'string') return out;
  return job.resultUrl ?? (job.videoPath ? resolve(job.videoPath) : '');
}
