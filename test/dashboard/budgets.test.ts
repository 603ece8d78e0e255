import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { JobOrigin } from '../../src/core/jobs/job.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';
import { createSubmitPolicy } from '../../src/core/policy/submit-policy.js';
import { budgetsInForce } from '../../src/dashboard/budgets.js';
import type { Viewer } from '../../src/dashboard/session.js';
import { platformAccessFrom } from '../../src/platform-access.js';
import { memoryLedger } from '../core/policy/memory-ledger.js';

const ENV = {
  USER_DAILY_BUDGET: '1',
  TEAM_DAILY_BUDGET: '5',
  TEAM_MONTHLY_BUDGET: '100',
  DAILY_BUDGET: '20',
};
const origin = (userId: string, workspaceId = 'g-1'): JobOrigin => ({
  platform: 'discord',
  userId,
  channelId: 'c',
  workspaceId,
  ref: {},
});
const viewer = (userId: string, isAdmin = false): Viewer => ({
  platform: 'discord',
  workspaceId: 'g-1',
  userId,
  isAdmin,
});

describe('budgets on the spend page', () => {
  let now = Date.UTC(2026, 2, 10, 12);
  const clock: Clock = { now: () => now, sleep: async () => {} };
  let store: JobStore;
  beforeEach(async () => {
    now = Date.UTC(2026, 2, 10, 12);
    store = await openJobStore('memory://');
  });
  afterEach(() => store.close());

  const setup = async () => {
    const config = loadConfig(ENV);
    const policy = createSubmitPolicy({
      config,
      store,
      ledger: memoryLedger(),
      clock,
      platforms: platformAccessFrom(config),
    });
    // 10_000 units = 1 currency unit (the price table's precision).
    await policy.reserveSpend(origin('alice'), 'job-1', 2_800, 'USD');
    await policy.reserveSpend(origin('bob'), 'job-2', 4_000, 'USD');
    await policy.reserveSpend(origin('carol', 'g-2'), 'job-3', 9_000, 'USD');
    await policy.setOverride('g-1', { teamDailyBudget: 3 });
    return (v: Viewer) => budgetsInForce(config, policy, 'USD', v);
  };

  it("shows a member the amounts in force (with the team's override) and only their own use", async () => {
    const rows = await (await setup())(viewer('alice'));
    expect(rows).toEqual([
      { label: 'You, today', limit: 'US$ 1.00', used: 'US$ 0.28' },
      { label: 'This team, today', limit: 'US$ 3.00' },
      { label: 'This team, this month', limit: 'US$ 100.00' },
      { label: 'All teams together, per day', limit: 'US$ 20.00' },
    ]);
  });

  it("shows an admin the team's use today and this month, never another team's", async () => {
    const rows = await (await setup())(viewer('root', true));
    expect(rows).toEqual([
      { label: 'You, today', limit: 'US$ 1.00 (admins are exempt)', used: 'US$ 0.00' },
      { label: 'This team, today', limit: 'US$ 3.00', used: 'US$ 0.68' },
      { label: 'This team, this month', limit: 'US$ 100.00', used: 'US$ 0.68' },
      { label: 'All teams together, per day', limit: 'US$ 20.00' },
    ]);
  });

  it('counts a new day from zero but keeps the month', async () => {
    const budgets = await setup();
    now += 86_400_000;
    const rows = await budgets(viewer('root', true));
    expect(rows[1]?.used).toBe('US$ 0.00');
    expect(rows[2]?.used).toBe('US$ 0.68');
  });
});
