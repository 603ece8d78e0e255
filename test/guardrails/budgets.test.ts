import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deliverer } from '../../src/core/delivery.js';
import type { Job, JobOrigin } from '../../src/core/jobs/job.js';
import { type EngineHarness, useEngineHarness } from '../core/engine/engine-harness.js';

const origin = (userId: string, workspaceId = 'g-1'): JobOrigin => ({
  platform: 'discord',
  userId,
  channelId: 'c-1',
  workspaceId,
  ref: {},
});

/** Stands in for the Discord adapter's deliverer, so Discord-origin jobs can finish here. */
const delivered: Deliverer = { deliver: async () => ({ ref: {} }) };

async function finished(h: EngineHarness, jobs: Job[]): Promise<Job[]> {
  return Promise.all(jobs.map((j) => h.waitFor(j.id)));
}

/** Issue #14: budgets in money are reservations in the same atomic ledger as the counts. */
describe('budgets in money', () => {
  const harness = useEngineHarness();
  let h: EngineHarness | undefined;
  afterEach(() => {
    h = undefined;
  });

  it('admits exactly 3 of 30 parallel submits at a USER_DAILY_BUDGET worth 3 videos', async () => {
    h = await harness({
      env: { USER_DAILY_BUDGET: '0.84', MAX_ACTIVE_JOBS: '100' },
      sim: { timelineMs: { preparing: 5, queueing: 5, processing: 60_000 } },
    });
    await h.engine.start();
    // MiniMax-Hailuo-2.3, 768P, 6 s: US$ 0.28 each.
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        h!.engine.submit({ prompt: `burst ${i}` }, origin('u-1')),
      ),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled');
    expect(accepted).toHaveLength(3);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    expect(new Set(refusals.map((e) => (e as { code?: string }).code))).toEqual(
      new Set(['user_daily_budget']),
    );
    expect(refusals[0]?.message).toMatch(
      /^This video would cost about US\$ 0\.28, but only US\$ 0\.00 is left of your daily budget of US\$ 0\.84; it resets in .+ \(00:00 UTC\)\.$/,
    );
    // Another person is not held back by it.
    await expect(h.engine.submit({ prompt: 'mine' }, origin('u-2'))).resolves.toBeDefined();
  });

  it('charges each model its price, and nothing for a failed job', async () => {
    h = await harness({ app: { deliverers: { discord: delivered } } });
    await h.engine.start();
    const jobs = await Promise.all([
      h.engine.submit({ prompt: 'a', model: 'MiniMax-H3', duration: 5 }, origin('u-1')),
      h.engine.submit(
        { prompt: 'b', model: 'MiniMax-H3-Max', resolution: '480P', duration: 10 },
        origin('u-1'),
      ),
      h.engine.submit({ prompt: 'c', duration: 10 }, origin('u-1')),
      h.engine.submit({ prompt: 'd [[fail]]' }, origin('u-1')),
    ]);
    expect(jobs.map((j) => j.cost?.estimate)).toEqual([0.4, 0.5, 0.56, 0.28]);
    const done = await finished(h, jobs);
    expect(done.map((j) => [j.state, j.cost?.actual])).toEqual([
      ['done', 0.4],
      ['done', 0.5],
      ['done', 0.56],
      ['failed', 0],
    ]);
    const metrics = await h.app.metrics.registry.metrics();
    expect(metrics).toMatch(
      /videobot_spend_usd_total\{model="MiniMax-H3",team="discord:g-1"\} 0\.4/,
    );
  });

  it('gives a failed job its money back, so the budget can be used again', async () => {
    h = await harness({
      env: { USER_DAILY_BUDGET: '0.28' },
      app: { deliverers: { discord: delivered } },
    });
    await h.engine.start();
    const failed = await h.engine.submit({ prompt: 'storm [[fail]]' }, origin('u-1'));
    await expect(h.engine.submit({ prompt: 'too much' }, origin('u-1'))).rejects.toThrow(
      /daily budget/,
    );
    expect((await h.waitFor(failed.id)).state).toBe('failed');
    await expect
      .poll(async () => {
        try {
          await h!.engine.submit({ prompt: 'now it fits' }, origin('u-1'), { dedupeKey: 'retry' });
          return true;
        } catch {
          return false;
        }
      })
      .toBe(true);
  });

  it('settles a held price at what MiniMax billed, so the budget counts the real cost', async () => {
    h = await harness({
      env: { USER_DAILY_BUDGET: '0.80' },
      app: { deliverers: { discord: delivered } },
      // MiniMax bills 4 of the 6 seconds asked for.
      sim: { billedSeconds: 4 },
    });
    await h.engine.start();
    const job = await h.engine.submit(
      { prompt: 'a', model: 'MiniMax-H3', duration: 6 },
      origin('u-1'),
    );
    expect(job.cost?.estimate).toBe(0.48);
    const done = await h.waitFor(job.id);
    expect(done.cost).toMatchObject({ actual: 0.32, billedSeconds: 4 });
    // 0.32 spent of 0.80: a second 0.48 video fits only because the hold became the bill.
    await expect
      .poll(async () =>
        h!.engine
          .submit({ prompt: 'b', model: 'MiniMax-H3', duration: 6 }, origin('u-1'), {
            dedupeKey: 'second',
          })
          .then(
            () => 'admitted',
            (e: Error) => e.message,
          ),
      )
      .toBe('admitted');
    await expect(
      h.engine.submit({ prompt: 'c', model: 'MiniMax-H3', duration: 4 }, origin('u-1')),
    ).rejects.toThrow(/daily budget/);
  });

  it('refuses a model the price table leaves out while a budget applies, in one sentence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prices-'));
    const file = join(dir, 'prices.json');
    await writeFile(
      file,
      JSON.stringify({
        currency: 'USD',
        asOf: '2026-12-01',
        models: { 'MiniMax-Hailuo-2.3': { perVideo: { '768P|6': 0.28 } } },
      }),
    );
    h = await harness({ env: { USER_DAILY_BUDGET: '5', PRICES_FILE: file } });
    await h.engine.start();
    await expect(
      h.engine.submit({ prompt: 'x', model: 'MiniMax-H3' }, origin('u-1')),
    ).rejects.toThrow(
      "The bot's price table has no price for MiniMax-H3, so it cannot be counted against your budget; pick another model or ask the operator to add it to PRICES_FILE.",
    );
    await expect(h.engine.submit({ prompt: 'y' }, origin('u-1'))).resolves.toBeDefined();
    expect(h.sim.creates().every((c) => (c.body as { model: string }).model !== 'MiniMax-H3')).toBe(
      true,
    );
    await rm(dir, { recursive: true, force: true });
  });
});
