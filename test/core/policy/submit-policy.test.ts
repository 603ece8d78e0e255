import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { loadConfig } from '../../../src/core/config.js';
import { PolicyError } from '../../../src/core/errors.js';
import type { JobOrigin } from '../../../src/core/jobs/job.js';
import type { JobStore } from '../../../src/core/jobs/job-store.js';
import { createKeyvJobStore } from '../../../src/core/jobs/keyv-job-store.js';
import { createSubmitPolicy } from '../../../src/core/policy/submit-policy.js';
import { platformAccessFrom } from '../../../src/platform-access.js';

let now = Date.UTC(2026, 2, 1, 18, 48);
const clock: Clock = { now: () => now, sleep: async () => {} };
let store: JobStore;

beforeEach(async () => {
  now = Date.UTC(2026, 2, 1, 18, 48);
  store = await createKeyvJobStore('memory://');
});
afterEach(async () => {
  await store.close();
});

const alice: JobOrigin = {
  platform: 'discord',
  userId: 'u-alice',
  channelId: 'c-general',
  workspaceId: 'g-1',
  roles: ['r-member'],
  ref: {},
};
const idle = { activeJobsOfUser: 0 };

function policy(env: Record<string, string> = {}) {
  const config = loadConfig(env);
  return createSubmitPolicy({ config, store, clock, platforms: platformAccessFrom(config) });
}

async function refusal(promise: Promise<unknown>): Promise<PolicyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PolicyError);
  const message = (err as PolicyError).userMessage;
  expect(message).not.toContain('\n');
  expect(message.endsWith('.')).toBe(true);
  return err as PolicyError;
}

describe('SubmitPolicy access', () => {
  it('lets everyone in when nothing is configured', async () => {
    await expect(policy().check(alice, idle)).resolves.toBeUndefined();
  });

  it('refuses a channel outside ALLOWED_CHANNELS and names the allowed ones', async () => {
    const err = await refusal(policy({ ALLOWED_CHANNELS: 'c-art,c-video' }).check(alice, idle));
    expect(err.code).toBe('channel_not_allowed');
    expect(err.userMessage).toContain('<#c-art>, <#c-video>');
  });

  it('refuses a server outside ALLOWED_GUILDS', async () => {
    const err = await refusal(policy({ ALLOWED_GUILDS: 'g-2' }).check(alice, idle));
    expect(err.code).toBe('workspace_not_allowed');
  });

  it('requires one of DISCORD_ALLOWED_ROLES on Discord', async () => {
    const p = policy({ DISCORD_ALLOWED_ROLES: 'r-video' });
    expect((await refusal(p.check(alice, idle))).code).toBe('role_not_allowed');
    await expect(p.check({ ...alice, roles: ['r-video'] }, idle)).resolves.toBeUndefined();
  });

  it('requires SLACK_ALLOWED_USERS on Slack', async () => {
    const p = policy({ SLACK_ALLOWED_USERS: 'U1' });
    const slack: JobOrigin = { ...alice, platform: 'slack', userId: 'U2' };
    expect((await refusal(p.check(slack, idle))).code).toBe('user_not_allowed');
    await expect(p.check({ ...slack, userId: 'U1' }, idle)).resolves.toBeUndefined();
  });

  it('lets a Slack user in through SLACK_ALLOWED_USERS or a group of SLACK_ALLOWED_GROUPS', async () => {
    const p = policy({ SLACK_ALLOWED_USERS: 'U1', SLACK_ALLOWED_GROUPS: 'S-video,S-art' });
    const slack: JobOrigin = { ...alice, platform: 'slack', userId: 'U2', roles: ['S-other'] };
    const err = await refusal(p.check(slack, idle));
    expect(err.code).toBe('user_not_allowed');
    expect(err.userMessage).toBe(
      'You are not in a user group allowed to make videos; ask a workspace admin to add you to one.',
    );
    await expect(p.check({ ...slack, roles: undefined }, idle)).rejects.toBeInstanceOf(PolicyError);
    await expect(p.check({ ...slack, roles: ['S-art'] }, idle)).resolves.toBeUndefined();
    await expect(p.check({ ...slack, userId: 'U1', roles: [] }, idle)).resolves.toBeUndefined();
    await expect(p.check({ ...slack, isAdmin: true }, idle)).resolves.toBeUndefined();
    const owner = policy({ SLACK_ALLOWED_GROUPS: 'S-video', ADMIN_USERS: 'U2' });
    await expect(owner.check(slack, idle)).resolves.toBeUndefined();
  });

  it('ignores SLACK_ALLOWED_GROUPS on Discord, where roles are Discord roles', async () => {
    const p = policy({ SLACK_ALLOWED_GROUPS: 'S-video' });
    await expect(p.check(alice, idle)).resolves.toBeUndefined();
  });

  it('lets ADMIN_USERS past every restriction', async () => {
    const p = policy({ ALLOWED_GUILDS: 'g-2', ALLOWED_CHANNELS: 'c-x', USER_MAX_ACTIVE: '1' });
    await expect(p.check(alice, { activeJobsOfUser: 5 })).rejects.toBeInstanceOf(PolicyError);
    const owner = policy({
      ALLOWED_GUILDS: 'g-2',
      ALLOWED_CHANNELS: 'c-x',
      USER_MAX_ACTIVE: '1',
      ADMIN_USERS: 'u-alice',
    });
    await expect(owner.check(alice, { activeJobsOfUser: 5 })).resolves.toBeUndefined();
  });
});

describe('SubmitPolicy quotas', () => {
  it('refuses more active jobs than USER_MAX_ACTIVE', async () => {
    const err = await refusal(
      policy({ USER_MAX_ACTIVE: '2' }).check(alice, { activeJobsOfUser: 2 }),
    );
    expect(err.code).toBe('user_max_active');
  });

  it('refuses past USER_DAILY_LIMIT and says when the limit resets', async () => {
    const p = policy({ USER_DAILY_LIMIT: '2' });
    await p.recordAccepted(alice);
    await p.check(alice, idle);
    await p.recordAccepted(alice);
    const err = await refusal(p.check(alice, idle));
    expect(err.userMessage).toBe(
      'You have made your 2 videos for today; you can make more in 5 h 12 min (00:00 UTC).',
    );
    expect(err.retryAt).toBe(Date.UTC(2026, 2, 2));
  });

  it('counts each user separately', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1' });
    await p.recordAccepted(alice);
    await expect(p.check({ ...alice, userId: 'u-bob' }, idle)).resolves.toBeUndefined();
  });

  it('resets the daily counters at 00:00 UTC', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1' });
    await p.recordAccepted(alice);
    await expect(p.check(alice, idle)).rejects.toBeInstanceOf(PolicyError);
    now = Date.UTC(2026, 2, 2, 0, 0, 1);
    await expect(p.check(alice, idle)).resolves.toBeUndefined();
  });

  it('refuses past TEAM_DAILY_LIMIT for everyone in the workspace', async () => {
    const p = policy({ TEAM_DAILY_LIMIT: '2' });
    await p.recordAccepted(alice);
    await p.recordAccepted({ ...alice, userId: 'u-bob' });
    const err = await refusal(p.check({ ...alice, userId: 'u-carol' }, idle));
    expect(err.code).toBe('team_daily_limit');
    await expect(p.check({ ...alice, workspaceId: 'g-other' }, idle)).resolves.toBeUndefined();
  });

  it('does not lose counts when jobs are accepted concurrently', async () => {
    const p = policy({ USER_DAILY_LIMIT: '10' });
    await Promise.all(Array.from({ length: 5 }, () => p.recordAccepted(alice)));
    expect(await p.remaining(alice)).toBe(5);
  });

  it('lets a workspace admin past the user limits but not the team limit', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1', TEAM_DAILY_LIMIT: '2' });
    const admin = { ...alice, isAdmin: true };
    await p.recordAccepted(admin);
    await expect(p.check(admin, idle)).resolves.toBeUndefined();
    await p.recordAccepted(admin);
    expect((await refusal(p.check(admin, idle))).code).toBe('team_daily_limit');
  });

  it('reports what is left today and when it resets', async () => {
    const p = policy({ USER_DAILY_LIMIT: '3', TEAM_DAILY_LIMIT: '10' });
    await p.recordAccepted(alice);
    expect(await p.quotaStatus(alice)).toEqual({
      userRemaining: 2,
      teamRemaining: 9,
      remainingToday: 2,
      resetsAt: Date.UTC(2026, 2, 2),
    });
  });

  it('reports no limit when none is configured', async () => {
    expect(await policy().remaining(alice)).toBeUndefined();
  });

  it("finds the workspace from the user's latest job when only the user is known", async () => {
    const p = policy({ USER_DAILY_LIMIT: '5', TEAM_DAILY_LIMIT: '3' });
    await p.recordAccepted(alice);
    await p.recordAccepted({ ...alice, userId: 'u-bob' });
    await store.save({
      id: 'j1',
      state: 'queued',
      request: {
        mode: 't2v',
        model: 'MiniMax-Hailuo-2.3',
        prompt: 'x',
        promptOptimizer: true,
        watermark: false,
        imageSlots: [],
      },
      origin: alice,
      createdAt: now,
      updatedAt: now,
      pollCount: 0,
      createAttempts: 0,
    });
    expect(await p.remaining({ platform: 'discord', userId: 'u-alice' })).toBe(1);
  });
});

describe('SubmitPolicy overrides', () => {
  it('applies a workspace override of the daily limit, persisted in the store', async () => {
    await policy({ USER_DAILY_LIMIT: '5' }).setOverride('g-1', { userDailyLimit: 1 });
    const p = policy({ USER_DAILY_LIMIT: '5' });
    await p.recordAccepted(alice);
    expect((await refusal(p.check(alice, idle))).code).toBe('user_daily_limit');
    await expect(p.check({ ...alice, workspaceId: 'g-2' }, idle)).resolves.toBeUndefined();
  });

  it('applies a workspace override of the allowed channels', async () => {
    const p = policy({ ALLOWED_CHANNELS: 'c-general' });
    await p.setOverride('g-1', { allowedChannels: ['c-video'] });
    expect((await refusal(p.check(alice, idle))).code).toBe('channel_not_allowed');
    await p.setOverride('g-1', { allowedChannels: null });
    await expect(p.check(alice, idle)).resolves.toBeUndefined();
  });

  it('merges patches and clears a field with null', async () => {
    const p = policy();
    await p.setOverride('g-1', { userDailyLimit: 3 });
    await p.setOverride('g-1', { teamDailyLimit: 20 });
    expect(await p.getOverride('g-1')).toEqual({ userDailyLimit: 3, teamDailyLimit: 20 });
    await p.setOverride('g-1', { userDailyLimit: null });
    expect(await p.getOverride('g-1')).toEqual({ teamDailyLimit: 20 });
  });

  it('lets only admins of the workspace change it', async () => {
    const p = policy();
    expect((await refusal(p.setOverride('g-1', { userDailyLimit: 1 }, alice))).code).toBe(
      'not_admin',
    );
    const otherAdmin = { ...alice, workspaceId: 'g-2', isAdmin: true };
    expect((await refusal(p.setOverride('g-1', { userDailyLimit: 1 }, otherAdmin))).code).toBe(
      'not_admin',
    );
    await expect(
      p.setOverride('g-1', { userDailyLimit: 1 }, { ...alice, isAdmin: true }),
    ).resolves.toEqual({ userDailyLimit: 1 });
  });

  it('lets a workspace admin lower but not raise the global limits', async () => {
    const p = policy({ USER_DAILY_LIMIT: '5' });
    const admin = { ...alice, isAdmin: true };
    expect((await refusal(p.setOverride('g-1', { userDailyLimit: 50 }, admin))).code).toBe(
      'override_above_global',
    );
    const owner = policy({ USER_DAILY_LIMIT: '5', ADMIN_USERS: 'u-alice' });
    await expect(owner.setOverride('g-1', { userDailyLimit: 50 }, alice)).resolves.toEqual({
      userDailyLimit: 50,
    });
  });

  it('rejects a negative or fractional limit', async () => {
    await refusal(policy().setOverride('g-1', { userDailyLimit: -1 }));
    await refusal(policy().setOverride('g-1', { teamDailyLimit: 1.5 }));
  });
});
