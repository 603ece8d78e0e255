import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../../src/backend/open-job-store.js';
import { loadConfig } from '../../../src/config.js';
import type { Clock } from '../../../src/core/clock.js';
import { PolicyError } from '../../../src/core/errors.js';
import type { JobOrigin } from '../../../src/core/jobs/job.js';
import type { JobStore } from '../../../src/core/jobs/job-store.js';
import type { QuotaLedger } from '../../../src/core/policy/quota-ledger.js';
import { createSubmitPolicy } from '../../../src/core/policy/submit-policy.js';
import { platformAccessFrom } from '../../../src/platform-access.js';
import { memoryLedger } from './memory-ledger.js';

let now = Date.UTC(2026, 2, 1, 18, 48);
const clock: Clock = { now: () => now, sleep: async () => {} };
let store: JobStore;
let ledger: QuotaLedger;
let holds = 0;
/** A fresh hold id, as the engine gives each request its future job id. */
const hold = () => `job-${++holds}`;

beforeEach(async () => {
  now = Date.UTC(2026, 2, 1, 18, 48);
  store = await openJobStore('memory://');
  ledger = memoryLedger();
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

function policy(env: Record<string, string> = {}) {
  const config = loadConfig(env);
  return createSubmitPolicy({
    config,
    store,
    ledger,
    clock,
    platforms: platformAccessFrom(config),
  });
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
    await expect(policy().reserve(alice, hold())).resolves.toBeUndefined();
  });

  it('refuses a channel outside ALLOWED_CHANNELS and names the allowed ones', async () => {
    const err = await refusal(policy({ ALLOWED_CHANNELS: 'c-art,c-video' }).reserve(alice, hold()));
    expect(err.code).toBe('channel_not_allowed');
    expect(err.userMessage).toContain('<#c-art>, <#c-video>');
  });

  it('refuses a server outside ALLOWED_GUILDS', async () => {
    const err = await refusal(policy({ ALLOWED_GUILDS: 'g-2' }).reserve(alice, hold()));
    expect(err.code).toBe('workspace_not_allowed');
  });

  it('requires one of DISCORD_ALLOWED_ROLES on Discord', async () => {
    const p = policy({ DISCORD_ALLOWED_ROLES: 'r-video' });
    expect((await refusal(p.reserve(alice, hold()))).code).toBe('role_not_allowed');
    await expect(p.reserve({ ...alice, roles: ['r-video'] }, hold())).resolves.toBeUndefined();
  });

  it('requires SLACK_ALLOWED_USERS on Slack', async () => {
    const p = policy({ SLACK_ALLOWED_USERS: 'U1' });
    const slack: JobOrigin = { ...alice, platform: 'slack', userId: 'U2' };
    expect((await refusal(p.reserve(slack, hold()))).code).toBe('user_not_allowed');
    await expect(p.reserve({ ...slack, userId: 'U1' }, hold())).resolves.toBeUndefined();
  });

  it('lets a Slack user in through SLACK_ALLOWED_USERS or a group of SLACK_ALLOWED_GROUPS', async () => {
    const p = policy({ SLACK_ALLOWED_USERS: 'U1', SLACK_ALLOWED_GROUPS: 'S-video,S-art' });
    const slack: JobOrigin = { ...alice, platform: 'slack', userId: 'U2', roles: ['S-other'] };
    const err = await refusal(p.reserve(slack, hold()));
    expect(err.code).toBe('user_not_allowed');
    expect(err.userMessage).toBe(
      'You are not in a user group allowed to make videos; ask a workspace admin to add you to one.',
    );
    await expect(p.reserve({ ...slack, roles: undefined }, hold())).rejects.toBeInstanceOf(
      PolicyError,
    );
    await expect(p.reserve({ ...slack, roles: ['S-art'] }, hold())).resolves.toBeUndefined();
    await expect(p.reserve({ ...slack, userId: 'U1', roles: [] }, hold())).resolves.toBeUndefined();
    await expect(p.reserve({ ...slack, isAdmin: true }, hold())).resolves.toBeUndefined();
    const owner = policy({ SLACK_ALLOWED_GROUPS: 'S-video', ADMIN_USERS: 'U2' });
    await expect(owner.reserve(slack, hold())).resolves.toBeUndefined();
  });

  it('ignores SLACK_ALLOWED_GROUPS on Discord, where roles are Discord roles', async () => {
    const p = policy({ SLACK_ALLOWED_GROUPS: 'S-video' });
    await expect(p.reserve(alice, hold())).resolves.toBeUndefined();
  });

  it('lets ADMIN_USERS past every restriction', async () => {
    const p = policy({ ALLOWED_GUILDS: 'g-2', ALLOWED_CHANNELS: 'c-x', USER_MAX_ACTIVE: '1' });
    await expect(p.reserve(alice, hold())).rejects.toBeInstanceOf(PolicyError);
    const owner = policy({
      ALLOWED_GUILDS: 'g-2',
      ALLOWED_CHANNELS: 'c-x',
      USER_MAX_ACTIVE: '1',
      USER_DAILY_LIMIT: '1',
      DAILY_LIMIT: '1',
      ADMIN_USERS: 'u-alice',
    });
    for (let i = 0; i < 3; i++) await expect(owner.reserve(alice, hold())).resolves.toBeUndefined();
  });
});

describe('SubmitPolicy quotas', () => {
  it('refuses more videos in progress than USER_MAX_ACTIVE until one ends', async () => {
    const p = policy({ USER_MAX_ACTIVE: '2' });
    const first = hold();
    await p.reserve(alice, first);
    await p.reserve(alice, hold());
    const err = await refusal(p.reserve(alice, hold()));
    expect(err.code).toBe('user_max_active');
    expect(err.userMessage).toBe(
      'You already have 2 videos in progress; wait for one to finish or cancel it, then try again.',
    );
    await p.settle(first, true);
    await expect(p.reserve(alice, hold())).resolves.toBeUndefined();
  });

  it('keeps the daily count of a job whose create may have reached MiniMax', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1', USER_MAX_ACTIVE: '1' });
    const id = hold();
    await p.reserve(alice, id);
    await p.settle(id, true);
    await p.settle(id, false);
    expect((await refusal(p.reserve(alice, hold()))).code).toBe('user_daily_limit');
  });

  it('gives the daily count back when the request never reached MiniMax', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1', TEAM_DAILY_LIMIT: '1', DAILY_LIMIT: '1' });
    const id = hold();
    await p.reserve(alice, id);
    expect(await p.remaining(alice)).toBe(0);
    await p.settle(id, false);
    expect(await p.remaining(alice)).toBe(1);
    await expect(p.reserve(alice, hold())).resolves.toBeUndefined();
  });

  it('refuses past DAILY_LIMIT across every server and says when it resets', async () => {
    const p = policy({ DAILY_LIMIT: '2' });
    await p.reserve(alice, hold());
    await p.reserve({ ...alice, workspaceId: 'g-2', userId: 'u-bob' }, hold());
    const slack: JobOrigin = { ...alice, platform: 'slack', workspaceId: 'T1', userId: 'U9' };
    const err = await refusal(p.reserve(slack, hold()));
    expect(err.code).toBe('daily_limit');
    expect(err.userMessage).toBe(
      'The bot has made all 2 videos it may make today; more can be made in 5 h 12 min (00:00 UTC).',
    );
    const workspaceAdmin = { ...slack, isAdmin: true };
    expect((await refusal(p.reserve(workspaceAdmin, hold()))).code).toBe('daily_limit');
    expect(await p.quotaStatus(slack)).toMatchObject({ allRemaining: 0, remainingToday: 0 });
  });

  it('does not count or check requests from the terminal', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1', DAILY_LIMIT: '1' });
    const cli: JobOrigin = { platform: 'cli', userId: 'local', channelId: 'terminal', ref: {} };
    await p.reserve(cli, hold());
    await p.reserve(cli, hold());
    await expect(p.reserve(alice, hold())).resolves.toBeUndefined();
  });

  it('refuses past USER_DAILY_LIMIT and says when the limit resets', async () => {
    const p = policy({ USER_DAILY_LIMIT: '2' });
    await p.reserve(alice, hold());
    await p.reserve(alice, hold());
    const err = await refusal(p.reserve(alice, hold()));
    expect(err.userMessage).toBe(
      'You have made your 2 videos for today; you can make more in 5 h 12 min (00:00 UTC).',
    );
    expect(err.retryAt).toBe(Date.UTC(2026, 2, 2));
  });

  it('counts each user separately', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1' });
    await p.reserve(alice, hold());
    await expect(p.reserve({ ...alice, userId: 'u-bob' }, hold())).resolves.toBeUndefined();
  });

  it('resets the daily counters at 00:00 UTC', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1' });
    await p.reserve(alice, hold());
    await expect(p.reserve(alice, hold())).rejects.toBeInstanceOf(PolicyError);
    now = Date.UTC(2026, 2, 2, 0, 0, 1);
    await expect(p.reserve(alice, hold())).resolves.toBeUndefined();
  });

  it('refuses past TEAM_DAILY_LIMIT for everyone in the workspace', async () => {
    const p = policy({ TEAM_DAILY_LIMIT: '2' });
    await p.reserve(alice, hold());
    await p.reserve({ ...alice, userId: 'u-bob' }, hold());
    const err = await refusal(p.reserve({ ...alice, userId: 'u-carol' }, hold()));
    expect(err.code).toBe('team_daily_limit');
    await expect(p.reserve({ ...alice, workspaceId: 'g-other' }, hold())).resolves.toBeUndefined();
  });

  it('does not lose counts when jobs are accepted concurrently', async () => {
    const p = policy({ USER_DAILY_LIMIT: '10' });
    await Promise.all(Array.from({ length: 5 }, () => p.reserve(alice, hold())));
    expect(await p.remaining(alice)).toBe(5);
  });

  it('lets a workspace admin past the user limits but not the team limit', async () => {
    const p = policy({ USER_DAILY_LIMIT: '1', TEAM_DAILY_LIMIT: '2' });
    const admin = { ...alice, isAdmin: true };
    await p.reserve(admin, hold());
    await expect(p.reserve(admin, hold())).resolves.toBeUndefined();
    expect((await refusal(p.reserve(admin, hold()))).code).toBe('team_daily_limit');
  });

  it('reports what is left today and when it resets', async () => {
    const p = policy({ USER_DAILY_LIMIT: '3', TEAM_DAILY_LIMIT: '10' });
    await p.reserve(alice, hold());
    expect(await p.quotaStatus(alice)).toEqual({
      userRemaining: 2,
      teamRemaining: 9,
      remainingToday: 2,
      resetsAt: Date.UTC(2026, 2, 2),
      // No video has been priced yet: nothing spent (issue #14).
      spentToday: 0,
      currency: 'USD',
    });
  });

  it('reports no limit when none is configured', async () => {
    expect(await policy().remaining(alice)).toBeUndefined();
  });

  it("finds the workspace from the user's latest job when only the user is known", async () => {
    const p = policy({ USER_DAILY_LIMIT: '5', TEAM_DAILY_LIMIT: '3' });
    await p.reserve(alice, hold());
    await p.reserve({ ...alice, userId: 'u-bob' }, hold());
    await store.insert({
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
    await p.reserve(alice, hold());
    expect((await refusal(p.reserve(alice, hold()))).code).toBe('user_daily_limit');
    await expect(p.reserve({ ...alice, workspaceId: 'g-2' }, hold())).resolves.toBeUndefined();
  });

  it('applies a workspace override of the allowed channels', async () => {
    const p = policy({ ALLOWED_CHANNELS: 'c-general' });
    await p.setOverride('g-1', { allowedChannels: ['c-video'] });
    expect((await refusal(p.reserve(alice, hold()))).code).toBe('channel_not_allowed');
    await p.setOverride('g-1', { allowedChannels: null });
    await expect(p.reserve(alice, hold())).resolves.toBeUndefined();
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

describe('SubmitPolicy money budgets per team (issue #14)', () => {
  const admin: JobOrigin = { ...alice, userId: 'u-admin', isAdmin: true };

  it("lets a team's admin lower its daily budget, which then holds", async () => {
    const p = policy({ TEAM_DAILY_BUDGET: '1' });
    await p.setOverride('g-1', { teamDailyBudget: 0.5 }, admin);
    expect((await p.limits('g-1')).teamDailyBudget).toBe(0.5);
    await p.reserveSpend(alice, hold(), 2_800, 'USD');
    const err = await refusal(p.reserveSpend({ ...alice, userId: 'u-bob' }, hold(), 2_800, 'USD'));
    expect(err.code).toBe('team_daily_budget');
    expect(err.userMessage).toMatch(
      /^This video would cost about US\$ 0\.28, but only US\$ 0\.22 is left of this team's daily budget of US\$ 0\.50;/,
    );
  });

  it("refuses a team's admin who would raise a budget above the owner's", async () => {
    const p = policy({ TEAM_MONTHLY_BUDGET: '100' });
    const err = await refusal(p.setOverride('g-1', { teamMonthlyBudget: 500 }, admin));
    expect(err.code).toBe('override_above_global');
  });
});
