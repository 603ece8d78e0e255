import { asBotError, type BotError } from '../errors.js';
import type { Job } from '../jobs/job.js';
import { toCreateBody } from '../request.js';
import { CREATE_RETRY, retryDelayMs, verdictOf } from '../retry-policy.js';
import { CREATE_GAVE_UP, failureOf, unknownOutcome } from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';
import { InvalidTransitionError } from './transition.js';

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
      // What each answer means is decided in retry-policy.ts; only the job's bookkeeping is here.
      const verdict = verdictOf(err, 'create');
      if (verdict === 'outcome_unknown') {
        run.logger.error({ err }, 'create outcome unknown; not resubmitting');
        return ctx.records.transition(job.id, 'failed', 'create outcome unknown', {
          error: unknownOutcome(err),
        });
      }
      // verdictOf answers 'outcome_unknown' for anything that is not a MinimaxError.
      const refusal = err as BotError;
      if (verdict === 'stop') {
        run.logger.warn({ err }, 'create rejected');
        return ctx.records.transition(job.id, 'failed', 'create rejected', {
          error: failureOf(refusal),
        });
      }
      // Counted on the job, not in a local loop, so the limit holds across restarts.
      const attempts = job.createAttempts + 1;
      if (attempts >= CREATE_RETRY.maxAttempts) {
        run.logger.error({ err, attempts }, 'create refused too often; giving up');
        return ctx.records.transition(job.id, 'failed', 'create refused repeatedly', {
          createStartedAt: undefined,
          createAttempts: attempts,
          error: verdict === 'rate_limited' ? CREATE_GAVE_UP : failureOf(refusal),
        });
      }
      const delayMs = retryDelayMs(CREATE_RETRY, attempts, ctx.random);
      // Every other create would meet the same limit; hold them all, not just this job.
      if (verdict === 'rate_limited') ctx.gate.pauseUntil(ctx.clock.now() + delayMs);
      run.logger.warn({ err, attempts, delayMs }, 'create refused; retrying');
      job = await ctx.records.update(job.id, {
        createStartedAt: undefined,
        createAttempts: attempts,
        reason: `MiniMax refused the create (${refusal.code}); retrying`,
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
