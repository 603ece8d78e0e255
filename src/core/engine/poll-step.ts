import { BotError } from '../errors.js';
import { isV2Model } from '../h3-models.js';
import { isTerminal, type Job } from '../jobs/job.js';
import type { ApiVersion } from '../minimax/types.js';
import { nextPollDelayMs } from '../poll-planner.js';
import { QUERY_RETRY, verdictOf } from '../retry-policy.js';
import { DOWNLOAD_URL_TTL_MS } from './download-step.js';
import { failureOf, QUERY_FAILED, taskFailure, timeoutFailure } from './failures.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';

/** A callback seen this recently proves callbacks reach us (see poll-planner's safety net). */
const CALLBACKS_TRUSTED_FOR_MS = 30 * 60_000;

/**
 * `generating` → `downloading` (or failed/expired): queries the task adaptively until it ends,
 * bounded by JOB_TIMEOUT_S from the create.
 */
export async function pollStep(ctx: RunContext, run: JobRun, start: Job): Promise<Job> {
  let job = start;
  const taskId = job.taskId!;
  const startedAt = job.submittedAt ?? job.createdAt;
  const deadline = startedAt + ctx.config.JOB_TIMEOUT_S * 1000;
  const expectedMs = ctx.estimator.estimateMs(job.request);
  let failures = 0;
  let rateLimited = 0;
  let awaitingChallenge = ctx.callbackUrl !== undefined && run.lastQueryAt === 0;

  for (;;) {
    const now = ctx.clock.now();
    if (now >= deadline && run.lastQueryAt >= deadline) {
      return ctx.records.transition(job.id, 'expired', 'deadline passed', {
        error: timeoutFailure(ctx.config.JOB_TIMEOUT_S),
      });
    }
    const callbacksProven = callbacksTrusted(ctx, now);
    const delayMs = nextPollDelayMs({
      elapsedMs: now - startedAt,
      expectedMs,
      pollMinMs: ctx.config.POLL_MIN_S * 1000,
      pollMaxMs: ctx.config.POLL_MAX_S * 1000,
      // Failed and rate-limited queries both widen the gap, up to POLL_MAX_S.
      consecutiveErrors: failures + rateLimited,
      callbacksEnabled: ctx.callbackUrl !== undefined,
      callbacksProven,
      random: ctx.random,
      ...(run.lastQueryAt === 0 ? {} : { sinceLastQueryMs: now - run.lastQueryAt }),
    });
    // The last query happens at the deadline itself, so a task finishing just in time is not lost.
    let waitMs = Math.min(delayMs, Math.max(0, deadline - now));
    if (awaitingChallenge && !callbacksProven) {
      // MiniMax sends its challenge right after the create: the first callback to arrive ends this
      // wait early so the job can switch to the sparse safety net; otherwise query as planned.
      awaitingChallenge = false;
      await run.pause(waitMs, { untilCallbacks: true });
      if (callbacksTrusted(ctx, ctx.clock.now())) continue;
      waitMs = 0;
    }
    await run.waitBeforeQuery(waitMs);

    run.lastQueryAt = ctx.clock.now();
    let info: Awaited<ReturnType<typeof ctx.client.queryTask>>;
    try {
      // The account-wide cap (MINIMAX_QPS) may hold this query behind other jobs' queries.
      info = await ctx.queries.send(run.signal, () =>
        ctx.client.queryTask(taskId, run.signal, apiOf(job)),
      );
    } catch (err) {
      run.signal.throwIfAborted();
      const verdict = verdictOf(err, 'query');
      if (verdict === 'rate_limited') {
        rateLimited += 1;
        run.logger.warn({ err, rateLimited }, 'query rate limited; backing off');
        continue;
      }
      failures += 1;
      if (verdict === 'stop' || failures >= QUERY_RETRY.maxAttempts) {
        run.logger.error({ err, failures, verdict }, 'query failed; giving up');
        const failure = err instanceof BotError ? failureOf(err) : QUERY_FAILED;
        return ctx.records.transition(job.id, 'failed', 'queries failed', { error: failure });
      }
      run.logger.warn({ err, failures }, 'query failed; retrying');
      continue;
    }
    failures = 0;
    rateLimited = 0;
    job = await ctx.records.update(job.id, (current) => ({
      pollCount: current.pollCount + 1,
      minimaxStatus: info.rawStatus,
    }));
    // Cancelled (or finished) by another instance meanwhile: stop polling now.
    if (isTerminal(job.state)) return job;
    run.logger.debug({ taskId, status: info.rawStatus, pollCount: job.pollCount }, 'polled task');
    ctx.hub.emit(job, 'poll');

    if (info.status === 'Success' && (info.fileId || info.downloadUrl)) {
      const generationMs = ctx.clock.now() - startedAt;
      try {
        await ctx.estimator.record(job.request, generationMs);
      } catch (err) {
        run.logger.warn({ err }, 'could not record the generation time');
      }
      // V2 answers carry the video's link (and the billed seconds) instead of a file id.
      return ctx.records.transition(job.id, 'downloading', 'task succeeded', {
        ...(info.fileId ? { fileId: info.fileId } : {}),
        ...(info.downloadUrl
          ? {
              downloadUrl: info.downloadUrl,
              downloadUrlExpiresAt: ctx.clock.now() + DOWNLOAD_URL_TTL_MS,
            }
          : {}),
        ...(info.billedSeconds !== undefined ? { billedSeconds: info.billedSeconds } : {}),
      });
    }
    // Cancelled at MiniMax (a cancel of this job racing this poll): a cancel, never charged.
    if (info.cancelled && info.rawStatus.toLowerCase() === 'cancelled') {
      return ctx.records.transition(job.id, 'cancelled', 'cancelled at MiniMax', {
        cancelCharged: false,
      });
    }
    if (info.status === 'Fail') {
      run.logger.warn(
        { failureCode: info.failureCode, reason: info.failureMessage },
        'task failed',
      );
      return ctx.records.transition(job.id, 'failed', 'task failed at MiniMax', {
        error: taskFailure(info),
      });
    }
  }
}

function callbacksTrusted(ctx: RunContext, now: number): boolean {
  const seenAt = ctx.callbacks.lastSeenAt;
  return seenAt > 0 && now - seenAt < CALLBACKS_TRUSTED_FOR_MS;
}

/** MiniMax-H3 tasks live on the V2 API. */
export function apiOf(job: Job): ApiVersion {
  return isV2Model(job.request.model) ? 'v2' : 'v1';
}
