import type { Config } from '../../config.js';
import type { Clock } from '../clock.js';
import { PolicyError } from '../errors.js';
import type { JobOrigin } from '../jobs/job.js';
import { budgetLines, budgetRefusal } from './budget-lines.js';
import type { QuotaLedger } from './quota-ledger.js';

/** A job's price is held apart from its video counts, under its own hold id. */
export const spendHoldId = (holdId: string) => `${holdId}:spend`;

export interface SpendPolicyOptions {
  config: Pick<Config, 'USER_DAILY_BUDGET' | 'DAILY_BUDGET'>;
  ledger: QuotaLedger;
  clock: Clock;
  /** ADMIN_USERS (and the terminal): counted, never refused. */
  isOwner: (o: JobOrigin) => boolean;
  /** The team's budgets in force (its admins may have lowered the global ones). */
  limitsOf: (o: JobOrigin) => Promise<{ teamDailyBudget: number; teamMonthlyBudget: number }>;
}

/** Money budgets as reservations in the same ledger as the video counts (issue #14). */
export function createSpendPolicy({
  config,
  ledger,
  clock,
  isOwner,
  limitsOf,
}: SpendPolicyOptions) {
  async function reserveSpend(
    o: JobOrigin,
    holdId: string,
    costUnits: number,
    currency: string,
  ): Promise<void> {
    if (costUnits <= 0) return;
    const team = await limitsOf(o);
    const now = clock.now();
    const plan = budgetLines(
      o,
      {
        // Workspace admins skip the per-person budget, not the team's or the bot's.
        userDaily: o.isAdmin ? 0 : config.USER_DAILY_BUDGET,
        teamDaily: team.teamDailyBudget,
        teamMonthly: team.teamMonthlyBudget,
        allDaily: config.DAILY_BUDGET,
      },
      o.platform !== 'cli' && !isOwner(o),
      costUnits,
      now,
    );
    const outcome = await ledger.reserve(spendHoldId(holdId), plan.lines, now);
    if (!outcome.ok) {
      const { line, used } = outcome;
      throw budgetRefusal(plan.names[line]!, plan.limits[line]!, used, costUnits, currency, now);
    }
  }

  /**
   * A request whose model the price table does not know cannot be held against a budget; when
   * any budget applies to this person it is refused rather than let through unmetered.
   */
  async function refuseUnpriced(o: JobOrigin, model: string): Promise<void> {
    if (o.platform === 'cli' || isOwner(o)) return;
    const team = await limitsOf(o);
    const budgets = [
      o.isAdmin ? 0 : config.USER_DAILY_BUDGET,
      team.teamDailyBudget,
      team.teamMonthlyBudget,
      config.DAILY_BUDGET,
    ];
    if (budgets.some((b) => b > 0))
      throw new PolicyError({ code: 'unpriced_model', params: { model } });
  }

  /** `billedUnits`: what MiniMax billed, when known; the hold (the estimate) becomes that. */
  const settleSpend = (holdId: string, charged: boolean, billedUnits?: number) =>
    charged ? ledger.commit(spendHoldId(holdId), billedUnits) : ledger.release(spendHoldId(holdId));

  return { reserveSpend, settleSpend, refuseUnpriced };
}
