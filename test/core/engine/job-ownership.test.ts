import { describe, expect, it } from 'vitest';
import type { JobOrigin } from '../../../src/core/jobs/job.js';
import { useEngineHarness } from './engine-harness.js';

const SLOW = { timelineMs: { preparing: 10, queueing: 10, processing: 60_000 } };

const inGuild = (userId: string, guild: string, isAdmin = false): JobOrigin => ({
  platform: 'discord',
  userId,
  channelId: 'c1',
  workspaceId: guild,
  ref: {},
  ...(isAdmin ? { isAdmin: true } : {}),
});

/** Issue #12: Regenerate, Variations and Cancel act only inside the job's own team. */
describe('JobEngine ownership of jobs', () => {
  const harness = useEngineHarness();

  it("refuses to remake another member's video, and makes it for its requester or an admin", async () => {
    const h = await harness();
    h.engine.registerDeliverer('discord', { deliver: async () => ({ ref: {} }) });
    await h.engine.start();
    const first = await h.engine.submit({ prompt: 'a quiet harbour' }, inGuild('alice', 'g1'));
    await h.waitFor(first.id);
    await expect(h.engine.resubmit(first.id, inGuild('bob', 'g1'))).rejects.toMatchObject({
      code: 'not_owner',
    });
    const mine = await h.engine.resubmit(first.id, inGuild('alice', 'g1'));
    const admins = await h.engine.resubmit(first.id, inGuild('carol', 'g1', true));
    await h.waitFor(mine.id);
    await h.waitFor(admins.id);
    expect(h.sim.creates()).toHaveLength(3);
  });

  it("treats another server's job as missing, even for that server's admin", async () => {
    const h = await harness({ sim: SLOW });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a secret plan' }, inGuild('alice', 'g1'));
    await expect(h.engine.resubmit(job.id, inGuild('mallory', 'g2', true))).rejects.toMatchObject({
      code: 'job_not_found',
    });
    const foreign = { isAdmin: true, platform: 'discord', workspaceId: 'g2' } as const;
    expect(await h.engine.cancel(job.id, 'mallory', foreign)).toBe('not_found');
    expect(await h.engine.cancel(job.id, 'alice', { platform: 'slack', workspaceId: 'g1' })).toBe(
      'not_found',
    );
    expect(await h.engine.cancel(job.id, 'bob', { platform: 'discord', workspaceId: 'g1' })).toBe(
      'not_allowed',
    );
    expect(await h.engine.cancel(job.id, 'alice', { platform: 'discord', workspaceId: 'g1' })).toBe(
      'cancelled',
    );
    expect((await h.engine.status('discord', 'mallory')).active).toEqual([]);
  });
});
