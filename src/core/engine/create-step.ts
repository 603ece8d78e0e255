import { backoffDelayMs, CREATE_BACKOFF } from '../backoff.js';
import { asBotError } from '../errors.js';
import type { Job } from '../jobs/job.js';
import { toCreateBody } from '../request.js';
import {
  CREATE_GAVE_UP,
  classifyCreateError,
  failureOf,
  isRateLimited,
  unknownOutcome,
} from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';
import { InvalidTransitionError } from './transition.js';

/** Creates refused for sure (1002/1039/2045, connection refused) before the job gives up. */
export const MAX_CREATE_ATTEMPTS = 6;

/**
 * `submitting` → `generating`: sends the one create of this job. The scheduler already took this
 * create from the rate gate; retries take their own.
 */
export async function createStep(ctx: RunContext, run: JobRun, start: Job): Promise<Job> {
  let job = start;
  const images = job.request.imageSlots.length > 0 ? await ctx.store.loadImages(job.id) : {};
  let body: ReturnType<typeof toCreateBody>;
  try {
    body = toCreateBody({ request: job.request, images }, { callbackUrl: ctx.callbackUrl });
  } catch (err) {
    return ctx.records.transition(job.id, 'failed', 'request cannot be sent', {
      error: failureOf(asBotError(err, job.id)),
    });
  }

  for (;;) {
    // Last point where cancel or shutdown can stop us: after this line the create is sent.
    run.signal.throwIfAborted();
    job = await ctx.records.update(job.id, { createStartedAt: ctx.clock.now() });
    let taskId: string;
    try {
      // Deliberately no abort signal: a create cut off mid-flight would leave its outcome unknown.
      ({ taskId } = await ctx.client.createTask(body));
    } catch (err) {
      const failure = classifyCreateError(err);
      if (failure.kind === 'unknown') {
        run.logger.error({ err }, 'create outcome unknown; not resubmitting');
        return ctx.records.transition(job.id, 'failed', 'create outcome unknown', {
          error: unknownOutcome(err),
        });
      }
      if (failure.kind === 'rejected') {
        run.logger.warn({ err }, 'create rejected');
        // Refused for certain: no task, nothing billed, so the daily count is given back.
        return ctx.records.transition(job.id, 'failed', 'create rejected', {
          createStartedAt: undefined,
          error: failureOf(failure.err),
        });
      }
      const attempts = job.createAttempts + 1;
      if (attempts >= MAX_CREATE_ATTEMPTS) {
        run.logger.error({ err, attempts }, 'create refused too often; giving up');
        return ctx.records.transition(job.id, 'failed', 'create refused repeatedly', {
          createStartedAt: undefined,
          createAttempts: attempts,
          error: isRateLimited(failure.err) ? CREATE_GAVE_UP : failureOf(failure.err),
        });
      }
      const delayMs = backoffDelayMs(attempts, CREATE_BACKOFF, ctx.random());
      // Every other create would meet the same limit; hold them all, not just this job.
      if (isRateLimited(failure.err)) ctx.gate.pauseUntil(ctx.clock.now() + delayMs);
      run.logger.warn({ err, attempts, delayMs }, 'create refused; retrying');
      job = await ctx.records.update(job.id, {
        createStartedAt: undefined,
        createAttempts: attempts,
        reason: `MiniMax refused the create (${failure.err.code}); retrying`,
      });
      await run.sleep(delayMs);
      await ctx.gate.acquire(run.signal);
      continue;
    }
    return recordTask(ctx, run, job, taskId);
  }
}

/** The task exists (and is billed): its id is the first thing saved, whatever else happened. */
async function recordTask(ctx: RunContext, run: JobRun, job: Job, taskId: string): Promise<Job> {
  run.logger.info({ taskId }, 'task created');
  try {
    return await ctx.records.transition(job.id, 'generating', 'task created', { taskId });
  } catch (err) {
    if (!(err instanceof InvalidTransitionError)) throw err;
    // Cancelled while the create was in flight: keep the id for support, stop here.
    return ctx.records.update(job.id, { taskId });
  }
}
