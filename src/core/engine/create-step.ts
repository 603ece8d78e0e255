import { asBotError, type BotError } from '../errors.js';
import { isV2Model } from '../h3-models.js';
import type { Job } from '../jobs/job.js';
import type { CreateV2Body, CreateVideoBody } from '../minimax/types.js';
import { createBodyOf } from '../request.js';
import { CREATE_RETRY, retryDelayMs, verdictOf } from '../retry-policy.js';
import { reserveCreate, sendReservedCreate } from './create-reservation.js';
import { CREATE_GAVE_UP, failureOf, unknownOutcome } from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';
import { InvalidTransitionError } from './transition.js';
import { adoptFromList, cancelAtMinimax, enhanceOnce, upscaleBody } from './v2-steps.js';

/**
 * `submitting` → `generating`: sends the one create of this job. The scheduler already reserved
 * this create in the rate gate; retries reserve their own (see create-reservation.ts).
 */
export async function createStep(ctx: RunContext, run: JobRun, start: Job): Promise<Job> {
  let job = start;
  const images = job.request.imageSlots.length > 0 ? await ctx.images.load(job.id) : {};
  let body: CreateVideoBody | CreateV2Body;
  try {
    job = await enhanceOnce(ctx, run, job);
    body = job.request.upscaleOf
      ? await upscaleBody(ctx, run, job)
      : createBodyOf(
          { request: job.request, images },
          {
            ...(ctx.callbackUrl ? { callbackUrl: ctx.callbackUrl } : {}),
            ...(job.enhancedPrompt ? { prompt: job.enhancedPrompt } : {}),
          },
        );
  } catch (err) {
    return ctx.records.transition(job.id, 'failed', 'request cannot be sent', {
      error: failureOf(asBotError(err, job.id)),
    });
  }

  for (;;) {
    // The scheduler's reservation carries on here; a retry or a resumed job waits for its own.
    // Last point where cancel or shutdown can stop us: after this line the create is sent.
    await reserveCreate(ctx, run, job.id);
    job = await ctx.records.update(job.id, { createStartedAt: ctx.clock.now() });
    let taskId: string;
    try {
      // Deliberately no abort signal: a create cut off mid-flight would leave its outcome unknown.
      ({ taskId } = await sendReservedCreate(ctx, run, job.id, () =>
        job.request.upscaleOf && ctx.client.regenerate
          ? ctx.client.regenerate(body as CreateV2Body)
          : ctx.client.createTask(body),
      ));
    } catch (err) {
      // What each answer means is decided in retry-policy.ts; only the job's bookkeeping is here.
      const verdict = verdictOf(err, 'create');
      if (verdict === 'outcome_unknown') {
        // MiniMax-H3 can list recent tasks: exactly one that fits is ours (see adopt-task.ts).
        const adopted = isV2Model(job.request.model)
          ? await adoptFromList(ctx, run, job)
          : undefined;
        if (adopted) return recordTask(ctx, run, job, adopted);
        run.logger.error({ err }, 'create outcome unknown; not resubmitting');
        return ctx.records.transition(job.id, 'failed', 'create outcome unknown', {
          error: unknownOutcome(err),
        });
      }
      // verdictOf answers 'outcome_unknown' for anything that is not a MinimaxError.
      const refusal = err as BotError;
      if (verdict === 'stop') {
        run.logger.warn({ err }, 'create rejected');
        // Refused for certain: no task, nothing billed, so the daily count is given back.
        return ctx.records.transition(job.id, 'failed', 'create rejected', {
          createStartedAt: undefined,
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
      continue;
    }
    const recorded = await recordTask(ctx, run, job, taskId);
    if (job.request.imageSlots.length > 0) {
      await ctx.images.created(job.id).catch((err: unknown) => {
        run.logger.warn({ err }, 'could not trim the kept images');
      });
    }
    return recorded;
  }
}

/** The task exists (and is billed): its id is the first thing saved, whatever else happened. */
async function recordTask(ctx: RunContext, run: JobRun, job: Job, taskId: string): Promise<Job> {
  run.logger.info({ taskId }, 'task created');
  try {
    return await ctx.records.transition(job.id, 'generating', 'task created', { taskId });
  } catch (err) {
    if (!(err instanceof InvalidTransitionError)) throw err;
    // Cancelled while the create was in flight: keep the id for support, and cancel a
    // MiniMax-H3 task that is still queued so it is not billed.
    const kept = await ctx.records.update(job.id, { taskId });
    const charged = await cancelAtMinimax(ctx, kept, run.logger);
    return ctx.records.update(job.id, { cancelCharged: charged });
  }
}
