import type { Job, JobCost } from '../jobs/job.js';
import type { VideoRequest } from '../request-types.js';
import { billedCost, estimateCost, type PriceTable } from './price-table.js';

/** The price recorded at admission; undefined when the table has no price for the request. */
export function estimateOf(request: VideoRequest, table: PriceTable): JobCost | undefined {
  const estimate = estimateCost(request, table);
  return estimate === undefined ? undefined : { currency: table.currency, estimate };
}

/**
 * Whether MiniMax bills a job that ended this way: a delivered video; a cancel after the task
 * had started (`cancelCharged`); a job that timed out with a task. Failed jobs and jobs
 * cancelled before MiniMax started them cost nothing.
 */
export function isCharged(job: Job): boolean {
  if (job.state === 'done') return true;
  if (job.state === 'cancelled') return job.cancelCharged === true;
  if (job.state === 'expired') return job.taskId !== undefined;
  return false;
}

/** The cost fields a job gets when it ends (see JobRecords' `onFinish`). */
export function finalCost(job: Job, table: PriceTable): Pick<Job, 'cost'> {
  if (!job.cost) return {};
  const actual = isCharged(job)
    ? (billedCost(job.request, job.billedSeconds, table) ?? job.cost.estimate)
    : 0;
  return {
    cost: {
      ...job.cost,
      actual,
      ...(job.billedSeconds !== undefined ? { billedSeconds: job.billedSeconds } : {}),
    },
  };
}
