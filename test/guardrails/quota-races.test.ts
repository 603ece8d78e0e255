import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobOrigin } from '../../src/core/jobs/job.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { AppStack } from '../faults/app-stack.js';

/**
 * Quotas hold under a burst: 50 `/video` submits at once through the app `serve` builds, and
 * exactly the limit gets through. The check and the count are one atomic step (QuotaLedger).
 */
describe('quotas under 50 parallel submits, in one process', () => {
  let sim: Simulator;
  let stack: AppStack | undefined;

  beforeAll(async () => {
    // Tasks stay in Processing, so every accepted job is still active when the burst is judged.
    sim = await createSimulator({
      apiKey: 'sim-quota-races',
      timelineMs: { preparing: 5, queueing: 5, processing: 60_000 },
    });
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  afterAll(async () => {
    await sim.stop();
  });

  const origin = (userId: string, workspaceId = 'g-1'): JobOrigin => ({
    platform: 'discord',
    userId,
    channelId: 'c-1',
    workspaceId,
    ref: {},
  });

  async function burst(env: Record<string, string>, originOf: (i: number) => JobOrigin) {
    stack = await AppStack.start({ slack: false, sim, env: { MAX_ACTIVE_JOBS: '100', ...env } });
    const service = stack.app.service;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => service.submit({ prompt: `burst ${i}` }, originOf(i))),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const codes = new Set(
      results.flatMap((r) =>
        r.status === 'rejected' ? [(r.reason as { code: string }).code] : [],
      ),
    );
    return { accepted: accepted.length, codes: [...codes] };
  }

  it('lets exactly USER_DAILY_LIMIT=3 of one user through', async () => {
    const outcome = await burst({ USER_DAILY_LIMIT: '3' }, () => origin('u-1'));
    expect(outcome).toEqual({ accepted: 3, codes: ['user_daily_limit'] });
  });

  it('lets exactly TEAM_DAILY_LIMIT=3 of one server through', async () => {
    const outcome = await burst({ TEAM_DAILY_LIMIT: '3' }, (i) => origin(`u-${i}`));
    expect(outcome).toEqual({ accepted: 3, codes: ['team_daily_limit'] });
  });

  it('lets exactly DAILY_LIMIT=3 through across servers', async () => {
    const outcome = await burst({ DAILY_LIMIT: '3' }, (i) => origin(`u-${i}`, `g-${i % 7}`));
    expect(outcome).toEqual({ accepted: 3, codes: ['daily_limit'] });
  });

  it('lets exactly USER_MAX_ACTIVE=3 of one user run at once', async () => {
    const outcome = await burst({ USER_MAX_ACTIVE: '3' }, () => origin('u-1'));
    expect(outcome).toEqual({ accepted: 3, codes: ['user_max_active'] });
  });
});
