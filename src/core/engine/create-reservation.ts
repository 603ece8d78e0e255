import { MinimaxConnectionError, MinimaxError, MinimaxTimeoutError } from '../minimax/errors.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';

/**
 * Takes (or keeps, when the scheduler already took it) this job's place in the create window,
 * right before the create is sent. A cancel or shutdown meanwhile gives the place back.
 */
export async function reserveCreate(ctx: RunContext, run: JobRun, jobId: string): Promise<void> {
  try {
    await ctx.gate.acquire(jobId, run.signal);
    run.signal.throwIfAborted();
  } catch (err) {
    await releaseQuietly(ctx, run, jobId);
    throw err;
  }
}

/**
 * Sends a create under the reservation of `jobId`: whatever the answer, the create counts until a
 * window after it came back, unless the request certainly never reached MiniMax.
 */
export async function sendReservedCreate<T>(
  ctx: RunContext,
  run: JobRun,
  jobId: string,
  send: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await send();
  } catch (err) {
    if (neverReachedMinimax(err)) await releaseQuietly(ctx, run, jobId);
    else await settleQuietly(ctx, run, jobId);
    throw err;
  }
  await settleQuietly(ctx, run, jobId);
  return result;
}

/** Refused before any byte left (connection refused, DNS): MiniMax cannot have counted it. */
function neverReachedMinimax(err: unknown): boolean {
  return (
    err instanceof MinimaxError &&
    err.definitelyNotCreated &&
    (err instanceof MinimaxConnectionError || err instanceof MinimaxTimeoutError)
  );
}

// A gate that cannot be told (Redis down) must not fail a created task: an unanswered
// reservation lapses by itself after its lease, which only ever counts the create for longer.
async function settleQuietly(ctx: RunContext, run: JobRun, jobId: string): Promise<void> {
  await ctx.gate
    .settle(jobId, ctx.clock.now())
    .catch((err: unknown) => run.logger.warn({ err }, 'could not record the create in the gate'));
}

async function releaseQuietly(ctx: RunContext, run: JobRun, jobId: string): Promise<void> {
  await ctx.gate
    .release(jobId)
    .catch((err: unknown) => run.logger.warn({ err }, 'could not release the create'));
}
