import { PolicyError } from '../errors.js';
import type { JobOrigin } from '../jobs/job.js';
import { formatMoney, UNITS_PER_CURRENCY } from '../pricing/price-table.js';
import { nextUtcMidnight, utcDay } from './quota-day.js';
import type { QuotaLine } from './quota-ledger.js';
import { teamOf } from './quota-lines.js';

/** Money budgets in the price table's currency (0 = none). */
export interface BudgetLimits {
  userDaily: number;
  teamDaily: number;
  teamMonthly: number;
  allDaily: number;
}

export type BudgetName =
  | 'user_daily_budget'
  | 'team_daily_budget'
  | 'team_monthly_budget'
  | 'daily_budget';

/** The first moment of the next UTC month. */
export function nextUtcMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The spend counters of a requester on the UTC day and month of `now`. */
export function spendCounters(
  o: Pick<JobOrigin, 'platform' | 'userId' | 'workspaceId'>,
  now: number,
) {
  const day = utcDay(now);
  const month = day.slice(0, 7);
  return {
    user: `spend:day:${day}:user:${o.platform}:${o.userId}`,
    team: `spend:day:${day}:team:${teamOf(o)}`,
    teamMonth: `spend:month:${month}:team:${teamOf(o)}`,
    all: `spend:day:${day}:all`,
  };
}

/**
 * What one job's price holds: the user's, the team's (day and month) and the bot's spend.
 * Counted even without a budget, so a budget set during the day sees what was already spent.
 * `spend` holds: kept once the video may be billed, given back when it certainly is not.
 */
export function budgetLines(
  o: JobOrigin,
  limits: BudgetLimits,
  enforced: boolean,
  amountUnits: number,
  now: number,
): { lines: QuotaLine[]; names: BudgetName[]; limits: number[] } {
  const c = spendCounters(o, now);
  const dayEnd = nextUtcMidnight(now);
  const monthEnd = nextUtcMonth(now);
  const plan: Array<[BudgetName, string, number, number]> = [
    ['user_daily_budget', c.user, limits.userDaily, dayEnd],
    ['team_daily_budget', c.team, limits.teamDaily, dayEnd],
    ['team_monthly_budget', c.teamMonth, limits.teamMonthly, monthEnd],
    ['daily_budget', c.all, limits.allDaily, dayEnd],
  ];
  const lines = plan.map(([, counter, limit, expiresAt]) => ({
    counter,
    amount: amountUnits,
    kind: 'spend' as const,
    expiresAt,
    ...(enforced && limit > 0 ? { limit: Math.round(limit * UNITS_PER_CURRENCY) } : {}),
  }));
  return { lines, names: plan.map((p) => p[0]), limits: plan.map((p) => p[2]) };
}

/** One sentence (src/messages/catalog-engine.ts): what it would cost, what is left, when it resets. */
export function budgetRefusal(
  name: BudgetName,
  limit: number,
  usedUnits: number,
  costUnits: number,
  currency: string,
  now: number,
): PolicyError {
  const resetAt = name === 'team_monthly_budget' ? nextUtcMonth(now) : nextUtcMidnight(now);
  const left = Math.max(0, limit - usedUnits / UNITS_PER_CURRENCY);
  return new PolicyError({
    code: name,
    params: {
      cost: formatMoney(costUnits / UNITS_PER_CURRENCY, currency),
      left: formatMoney(left, currency),
      total: formatMoney(limit, currency),
      waitMs: resetAt - now,
    },
    retryAt: resetAt,
  });
}
