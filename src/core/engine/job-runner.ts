import { asBotError } from '../errors.js';
import { isTerminal, type Job } from '../jobs/job.js';
import { createStep } from './create-step.js';
import { deliverStep } from './deliver-step.js';
import { downloadStep } from './download-step.js';
import { failureOf } from './failures.js';
import type { JobRun } from './job-run.js';
import { pollStep } from './poll-step.js';
import type { RunContext } from './run-context.js';
import { InvalidTransitionError, LostClaimError } from './transition.js';

/**
 * Drives one job from whatever state it is in to a terminal one. Each step ends with exactly one
 * transition, so a restart at any point resumes at the right step. A stopped run (cancel or
 * shutdown) just returns: cancel already recorded its state, and shutdown must change nothing.
 */
export async function runJob(ctx: RunContext, run: JobRun): Promise<void> {
  let job: Job | undefined = await ctx.records.get(run.jobId);
  try {
    while (job && !isTerminal(job.state) && !run.signal.aborted) {
      job = await step(ctx, run, job);
    }
  } catch (err) {
    if (run.signal.aborted) {
      run.logger.debug({ reason: run.signal.reason }, 'run stopped');
      return;
    }
    // Another process took the job over while this one was cut off: it must do nothing more.
    if (err instanceof LostClaimError) {
      run.logger.warn('job taken over by another process; this run stops');
      return;
    }
    const current = await ctx.records.get(run.jobId);
    if (err instanceof InvalidTransitionError || !current || isTerminal(current.state)) {
      run.logger.debug({ err }, 'job moved on elsewhere');
      return;
    }
    run.logger.error({ err }, 'job failed unexpectedly');
    const failure = asBotError(err, run.jobId);
    await ctx.records
      .transition(run.jobId, 'failed', 'unexpected error', {
        error: failureOf(failure),
      })
      .catch((saveErr: unknown) =>
        run.logger.error({ err: saveErr }, 'could not record the failure'),
      );
  }
}

async function step(ctx: RunContext, run: JobRun, job: Job): Promise<Job | undefined> {
  switch (job.state) {
    case 'submitting':
      return createStep(ctx, run, job);
    case 'generating':
      return pollStep(ctx, run, job);
    case 'downloading':
      return downloadStep(ctx, run, job);
    case 'uploading':
      return deliverStep(ctx, run, job);
    default:
      // `queued` jobs are started by the scheduler, never here.
      return undefined;
  }
}
