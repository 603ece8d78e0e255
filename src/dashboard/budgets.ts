import type { Config } from '../config.js';
import type { SubmitPolicy } from '../core/policy/submit-policy.js';
import { formatMoney } from '../core/pricing/price-table.js';
import type { Viewer } from './session.js';

/** One budget on the spend page: what it is, its amount, and what it holds so far. */
export interface BudgetRow {
  label: string;
  limit: string;
  /** Held or billed so far; only the viewer's own unless the viewer is an admin. */
  used?: string;
}

/** The money budgets in force for the viewer's team, in words, for the spend page. */
export async function budgetsInForce(
  config: Pick<Config, 'USER_DAILY_BUDGET' | 'DAILY_BUDGET'>,
  policy: Pick<SubmitPolicy, 'limits' | 'spentSoFar'>,
  currency: string,
  viewer: Viewer,
): Promise<BudgetRow[]> {
  const [limits, spent] = await Promise.all([
    policy.limits(viewer.workspaceId),
    policy.spentSoFar(viewer),
  ]);
  const money = (amount: number) => formatMoney(amount, currency);
  const show = (amount: number | undefined) => (amount ? money(amount) : 'no limit');
  // Admins are never held to the per-person budget (the policy skips it for them).
  const personal =
    viewer.isAdmin && config.USER_DAILY_BUDGET
      ? `${show(config.USER_DAILY_BUDGET)} (admins are exempt)`
      : show(config.USER_DAILY_BUDGET);
  const teamOnly = (amount: number) => (viewer.isAdmin ? { used: money(amount) } : {});
  return [
    { label: 'You, today', limit: personal, used: money(spent.userToday) },
    {
      label: 'This team, today',
      limit: show(limits.teamDailyBudget),
      ...teamOnly(spent.teamToday),
    },
    {
      label: 'This team, this month',
      limit: show(limits.teamMonthlyBudget),
      ...teamOnly(spent.teamMonth),
    },
    { label: 'All teams together, per day', limit: show(config.DAILY_BUDGET) },
  ];
}
