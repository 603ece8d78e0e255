import { userInfo } from 'node:os';
import type { Config } from '../config.js';
import type { Job } from '../core/jobs/job.js';
import type { RawVideoRequest } from '../core/request-types.js';
import { type AppDeps, createApp } from '../main.js';
import { type CliContext, println } from './cli-context.js';
import { runJob, videoLocation } from './run-job.js';

export interface RunLocalJobOptions {
  config: Config;
  ctx: CliContext;
  raw: RawVideoRequest;
  /** Where to copy the finished MP4 as well. */
  outPath?: string;
  /** Recorded as the user when the OS does not name one. */
  fallbackUser: string;
  /** What this command replaces or limits in the app (estimator, resumed platforms, ...). */
  app?: AppDeps;
  /** A line for stderr once the video is saved, before its location goes to stdout. */
  doneLine?: (job: Job) => string;
}

/**
 * Runs one job in a chat-less, server-less app on this machine, prints where the MP4 went on
 * stdout and stops the app again, whether the job succeeded or not.
 */
export async function runLocalJob(options: RunLocalJobOptions): Promise<Job> {
  const { config, ctx } = options;
  const app = await createApp(config, {
    adapters: false,
    httpServer: false,
    logDestination: ctx.stderr,
    // The progress bar tells the story; logs only for problems unless LOG_LEVEL asks for more.
    logLevel: ctx.env['LOG_LEVEL'] ? config.LOG_LEVEL : 'warn',
    ...options.app,
  });
  try {
    await app.start();
    const job = await runJob({
      service: app.service,
      raw: options.raw,
      outPath: options.outPath,
      userId: localUser(options.fallbackUser),
      ctx,
    });
    if (options.doneLine) println(ctx.stderr, options.doneLine(job));
    println(ctx.stdout, videoLocation(job));
    return job;
  } finally {
    await app.stop();
  }
}

function localUser(fallback: string): string {
  try {
    return userInfo().username || fallback;
  } catch {
    return fallback;
  }
}
