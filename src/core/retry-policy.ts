import { type BackoffPolicy, backoffDelayMs } from './backoff.js';
import type { Clock } from './clock.js';
import { BotError } from './errors.js';
import { type MinimaxEndpoint, MinimaxError, MinimaxRateLimitedError } from './minimax/errors.js';

/**
 * The one place that says what is retried and how long to wait. What happens on MiniMax error X
 * (codes: src/core/minimax/error-codes.ts, which sets `retryable` and `definitelyNotCreated`):
 *
 * | call      | answer                                                        | then                                             |
 * |-----------|---------------------------------------------------------------|--------------------------------------------------|
 * | create    | rate limited (1002/1039/1041/2045, HTTP 429), refused before send | retry, CREATE plan; rate limits hold every create |
 * | create    | not retryable (1004/2049 key, 1008 balance, 1026 moderation, 1028/1030/2056 quota, 1042/2013 params, 2038, 2061, other 4xx) | fail at once |
 * | create    | may have made a task (timeout, dropped connection, 5xx, 1000/1001/1024/1033, malformed) | fail at once, never resent (billing) |
 * | query     | rate limited                                                  | keep polling, wider gap (poll-planner), no limit  |
 * | query     | retryable (5xx, timeout, connection, 1000/1001/1024/1033)     | up to QUERY plan's attempts in a row             |
 * | query     | not retryable (1004 key, 1008 balance, ...)                   | fail at once: asking again cannot help           |
 * | retrieve / download | expired link                                        | again at once with a fresh link                  |
 * | retrieve / download | retryable                                           | retry, DOWNLOAD plan                             |
 * | retrieve / download | not retryable (oversize, 1004, ...)                 | fail at once                                     |
 *
 * Platform calls run through `retrying` too, with plans and judges kept beside their adapter
 * (which alone knows which platform answers are permanent). Some platform SDKs retry on their
 * own; adapters add no loop over those.
 */

/** How many tries in all, and the backoff between them. */
export interface RetryPlan {
  maxAttempts: number;
  backoff: BackoffPolicy;
}

/** Creates refused for sure: 5 s, 10 s, 20 s ... up to 2 min, six tries in all. */
export const CREATE_RETRY: RetryPlan = {
  maxAttempts: 6,
  backoff: { baseMs: 5_000, maxMs: 120_000 },
};
/**
 * Consecutive failed status queries tolerated; the gap between them comes from the poll planner
 * (it widens with every error), so `backoff` is unused here.
 */
export const QUERY_RETRY: RetryPlan = { maxAttempts: 5, backoff: { baseMs: 0, maxMs: 0 } };
/** files/retrieve + download, a fresh link each time: 2 s, 4 s, 8 s. */
export const DOWNLOAD_RETRY: RetryPlan = {
  maxAttempts: 4,
  backoff: { baseMs: 2_000, maxMs: 60_000 },
};

/** What one failed MiniMax call means for the job. */
export type MinimaxVerdict =
  /** Certainly nothing happened and MiniMax says "later": retry after a backoff. */
  | 'retry'
  /** As `retry`, and every other call would meet the same limit. */
  | 'rate_limited'
  /** MiniMax answered no; asking again cannot help. */
  | 'stop'
  /** A create that may have made a task: never resend (a second one is billed twice). */
  | 'outcome_unknown';

export function isRateLimited(err: unknown): boolean {
  return err instanceof MinimaxRateLimitedError;
}

/** Whether `err` says "try again": `retryable` on our errors, yes for anything unknown. */
export function isRetryable(err: unknown): boolean {
  return err instanceof BotError ? err.retryable : true;
}

/**
 * The verdict on one failed call. Billing safety: a create is retried only when MiniMax certainly
 * made no task AND the error is transient; MiniMax has no list-tasks endpoint to check afterwards.
 */
export function verdictOf(err: unknown, endpoint: MinimaxEndpoint): MinimaxVerdict {
  if (endpoint === 'create') {
    if (!(err instanceof MinimaxError)) return 'outcome_unknown';
    if (!err.retryable) return 'stop';
    if (!err.definitelyNotCreated) return 'outcome_unknown';
  }
  if (isRateLimited(err)) return 'rate_limited';
  return isRetryable(err) ? 'retry' : 'stop';
}

/** Wait before try `attempt + 1` of `plan` (attempt 1 failed = first retry), jittered. */
export function retryDelayMs(plan: RetryPlan, attempt: number, random: () => number): number {
  return backoffDelayMs(attempt, plan.backoff, random());
}

/** What `judge` says about one failure: give up, or retry (after `afterMs` when it is known). */
export type Judgement = { retry: false } | { retry: true; afterMs?: number };

export interface RetryingOptions {
  plan: RetryPlan;
  clock: Pick<Clock, 'sleep'>;
  /** Jitter source in [0, 1). */
  random: () => number;
  /** Ends the retries: no new try after it aborts, and a wait in progress rejects with its reason. */
  signal?: AbortSignal;
  /** Default: retry while `isRetryable(err)`, after the plan's backoff. */
  judge?: (err: unknown, attempt: number) => Judgement;
  /** Called before each wait, to log or record the retry. */
  onRetry?: (info: { err: unknown; attempt: number; delayMs: number }) => void | Promise<void>;
}

/**
 * Runs `fn` until it succeeds, `judge` says stop, or the plan's tries are used up; then throws
 * the last error. `fn` gets the attempt number (1-based).
 */
export async function retrying<T>(
  options: RetryingOptions,
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  const { plan, clock, random, signal } = options;
  const judge = options.judge ?? ((err): Judgement => ({ retry: isRetryable(err) }));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (err) {
      const judgement = judge(err, attempt);
      // A stopping caller gets the failure itself, which says more than "aborted".
      if (!judgement.retry || attempt >= plan.maxAttempts || signal?.aborted) throw err;
      const delayMs = judgement.afterMs ?? retryDelayMs(plan, attempt, random);
      await options.onRetry?.({ err, attempt, delayMs });
      if (delayMs > 0) await clock.sleep(delayMs, signal);
    }
  }
}
