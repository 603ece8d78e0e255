import type { MessageParams } from '../../messages/index.js';
import { BotError } from '../errors.js';
import type { JobFailure } from '../jobs/job.js';
import {
  MinimaxConnectionError,
  MinimaxError,
  MinimaxTimeoutError,
  minimaxTaskFailedError,
} from '../minimax/errors.js';
import type { TaskInfo } from '../minimax/types.js';

/** A failure in both languages, from its catalog key (src/messages/catalog.ts). */
function failure(code: string, params?: MessageParams): JobFailure {
  return failureOf(new BotError({ code, ...(params ? { params } : {}) }));
}

/** The create may have made a task; say why we cannot tell, and that nothing was resent. */
export function unknownOutcome(err: unknown): JobFailure {
  const why =
    err instanceof MinimaxTimeoutError
      ? 'timeout'
      : err instanceof MinimaxConnectionError
        ? 'connection'
        : err instanceof MinimaxError
          ? 'minimax'
          : 'unexpected';
  return failure('create_outcome_unknown', { why });
}

export const CREATE_GAVE_UP: JobFailure = failure('rate_limited');

/** The failure stored on a job: code, catalog key and parameters, and both renderings. */
export function failureOf(err: BotError): JobFailure {
  const stored: JobFailure = { code: err.code, userMessage: err.userMessage };
  if (err.text) stored.text = err.text;
  if (err.userMessageZh) stored.userMessageZh = err.userMessageZh;
  return stored;
}

export function timeoutFailure(timeoutS: number): JobFailure {
  return failure('job_timeout', { minutes: Math.max(1, Math.round(timeoutS / 60)) });
}

/** A task that ended in Fail (1027 = the generated video itself was blocked). */
export function taskFailure(task: TaskInfo): JobFailure {
  return failureOf(minimaxTaskFailedError(task));
}

export const RESTART_UNKNOWN_OUTCOME: JobFailure = {
  ...failure('restart_outcome_unknown'),
  code: 'create_outcome_unknown',
};

/** Status queries kept failing with something that is not one of our errors. */
export const QUERY_FAILED: JobFailure = failure('query_failed');
