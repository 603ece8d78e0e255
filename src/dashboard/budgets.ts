import type { Config } from '../config.js';
import type { SubmitPolicy } from '../core/policy/submit-policy.js';
import { formatMoney } from '../core/pricing/price-table.js';

/** The money budgets in force for a team, in words, for the spend page. */
export async function budgetsInForce(
  config: Pick<Config, 'USER_DAILY_BUDGET' | 'DAILY_BUDGET'>,
  policy: Pick<SubmitPolicy, 'limits'>,
  currency: string,
  workspaceId: string,
): Promise<[string, string][]> {
  const limits = await policy.limits(workspaceId);
  const show = (amount: number | undefined) =>
    amount ? formatMoney(amount, currency) : 'no limit';
  return [
    ['Each person, per day', show(config.USER_DAILY_BUDGET)],
    ['This team, per day', show(limits.teamDailyBudget)],
    ['This team, per month', show(limits.teamMonthlyBudget)],
    ['All teams together, per day', show(config.DAILY_BUDGET)],
  ];
}
