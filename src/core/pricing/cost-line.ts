import type { MessageRef } from '../../messages/index.js';
import type { Job } from '../jobs/job.js';
import { formatMoney } from './price-table.js';

/** What a job costs, for its message: the estimate until it ends, then what MiniMax bills. */
export function costLineOf(job: Job): MessageRef | undefined {
  if (!job.cost) return undefined;
  const { currency, estimate, actual } = job.cost;
  return actual === undefined
    ? { key: 'cost_estimate', params: { amount: formatMoney(estimate, currency) } }
    : { key: 'cost_actual', params: { amount: formatMoney(actual, currency) } };
}
