import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import { applyAdminChange, describeLimits } from '../../src/chat/admin-change.js';
import { statusReport } from '../../src/chat/status-report.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { Job, JobOrigin } from '../../src/core/jobs/job.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';
import { createSubmitPolicy } from '../../src/core/policy/submit-policy.js';
import { adminChangeOf } from '../../src/discord/admin-command.js';
import { platformAccessFrom } from '../../src/platform-access.js';
import { isAdminRequest, parseAdminCommand } from '../../src/slack/admin-command.js';
import { isStatusRequest } from '../../src/slack/status-command.js';
import { memoryLedger } from '../core/policy/memory-ledger.js';

const NOW = Date.UTC(2026, 2, 1, 18, 48);
const MIDNIGHT = Date.UTC(2026, 2, 2);

function job(over: Partial<Job> & { prompt?: string; mode?: Job['request']['mode'] } = {}): Job {
  const { prompt = 'a cat', mode = 't2v', ...rest } = over;
  return {
    id: `j-${Math.random()}`,
    state: 'generating',
    request: {
      mode,
      model: 'MiniMax-Hailuo-2.3',
      prompt,
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    },
    origin: { platform: 'slack', userId: 'U1', channelId: 'C1', ref: {} },
    createdAt: NOW - 3 * 60_000,
    updatedAt: NOW,
    pollCount: 0,
    createAttempts: 0,
    ...rest,
  };
}

describe('Slack command words', () => {
  it('treats "status" alone as the status command and anything longer as a prompt', () => {
    expect(isStatusRequest(' Status ')).toBe(true);
    expect(isStatusRequest('status of a cat')).toBe(false);
  });

  it('treats admin plus a keyword as an admin command and other admin text as a prompt', () => {
    expect(isAdminRequest('admin')).toBe(true);
    expect(isAdminRequest('admin limit user 3')).toBe(true);
    expect(isAdminRequest('admin office party at dusk')).toBe(false);
  });

  it('reads limits, unlimited, default and channel ids from /video admin', () => {
    expect(parseAdminCommand('admin limit user 3')).toEqual({ kind: 'user_limit', limit: 3 });
    expect(parseAdminCommand('admin budget day 12.50')).toEqual({
      kind: 'team_budget',
      period: 'day',
      amount: 12.5,
    });
    expect(parseAdminCommand('admin budget month default')).toEqual({
      kind: 'team_budget',
      period: 'month',
      amount: 'default',
    });
    expect(parseAdminCommand('admin budget week 5')).toHaveProperty('error');
    expect(isAdminRequest('admin budget day 5')).toBe(true);
    expect(parseAdminCommand('admin limit team unlimited')).toEqual({
      kind: 'team_limit',
      limit: 0,
    });
    expect(parseAdminCommand('admin limit user default')).toEqual({
      kind: 'user_limit',
      limit: 'default',
    });
    expect(parseAdminCommand('admin limit channels <#C0AAA|a>, C0BBBBB')).toEqual({
      kind: 'channels',
      channels: ['C0AAA', 'C0BBBBB'],
    });
    expect(parseAdminCommand('admin channels any')).toEqual({ kind: 'channels', channels: 'any' });
    expect(parseAdminCommand('admin show')).toEqual({ kind: 'show' });
  });

  it('answers a malformed /video admin with the usage sentence', () => {
    expect(parseAdminCommand('admin limit user -1')).toHaveProperty('error');
    expect(parseAdminCommand('admin limit user 3 4')).toHaveProperty('error');
    expect(parseAdminCommand('admin limit channels #general')).toEqual({
      error:
        'Name the channels by id (like C0123ABCD, from channel details) or pick them with #, or say any or default.',
    });
  });
});

describe('Discord /video-admin options', () => {
  it('turns subcommands into changes and refuses channel names it cannot resolve', () => {
    expect(adminChangeOf({ subcommand: 'limit-team', count: 40 })).toEqual({
      kind: 'team_limit',
      limit: 40,
    });
    expect(adminChangeOf({ subcommand: 'channels', channels: '<#123456> 234567' })).toEqual({
      kind: 'channels',
      channels: ['123456', '234567'],
    });
    expect(adminChangeOf({ subcommand: 'reset', setting: 'channels' })).toEqual({
      kind: 'channels',
      channels: 'default',
    });
    expect(adminChangeOf({ subcommand: 'channels', channels: 'general' })).toHaveProperty('error');
    expect(adminChangeOf({ subcommand: 'limit-user', count: -2 })).toHaveProperty('error');
  });

  it('says what to fix in Chinese when asked in zh', () => {
    expect(adminChangeOf({ subcommand: 'limit-user', count: -2 }, 'zh')).toEqual({
      error: '请把限额写成 0 或更大的整数（0 表示不限）。',
    });
    expect(adminChangeOf({ subcommand: 'channels', channels: 'general' }, 'zh')).toEqual({
      error: '请用 #提及 或频道 ID 列出频道（以空格分隔），或写 any 表示所有频道。',
    });
    expect(adminChangeOf({ subcommand: 'reset', setting: 'x' }, 'zh')).toEqual({
      error: '请选择要重置的设置：每人限额、服务器总额度或频道。',
    });
    expect(adminChangeOf({ subcommand: 'nope' }, 'zh')).toEqual({
      error: '未知的管理命令；请试试 /video-admin show。',
    });
    expect(adminChangeOf({ subcommand: 'nope' })).toEqual({
      error: 'That admin command is unknown; try /video-admin show.',
    });
  });
});

describe('status report', () => {
  const base = { now: NOW };

  it('says there is nothing in progress and no limit', () => {
    expect(statusReport({ ...base, status: { active: [], resetsAt: MIDNIGHT } })).toBe(
      'You have no videos in progress.\nYou have no daily video limit.',
    );
  });

  it('blames the team budget when it is what runs out', () => {
    const text = statusReport({
      ...base,
      status: { active: [], resetsAt: MIDNIGHT },
      quota: { userRemaining: 3, teamRemaining: 0, remainingToday: 0, resetsAt: MIDNIGHT },
    });
    expect(text.split('\n')[1]).toBe(
      "The team has used all of today's videos; more can be made in 5 h 12 min (00:00 UTC).",
    );
  });

  it('says what the user spent today against their budget (issue #14)', () => {
    const quota = { resetsAt: MIDNIGHT, spentToday: 0.56, dailyBudget: 0.84, currency: 'USD' };
    const status = { active: [], resetsAt: MIDNIGHT };
    expect(
      statusReport({ ...base, status, quota })
        .split('\n')
        .at(-1),
    ).toBe('Spent today: US$ 0.56 of your US$ 0.84 daily budget.');
    expect(
      statusReport({ ...base, status, quota, lang: 'zh' })
        .split('\n')
        .at(-1),
    ).toBe('今天已花费 US$ 0.56，每日预算 US$ 0.84。');
  });

  it('says when the user has used up their own videos', () => {
    const text = statusReport({
      ...base,
      status: { active: [], remainingToday: 0, resetsAt: MIDNIGHT },
    });
    expect(text.split('\n')[1]).toBe(
      'You have used all your videos for today; you can make more in 5 h 12 min (00:00 UTC).',
    );
  });

  it('lists jobs oldest first with state, position and age, shortening long prompts', () => {
    const long = 'x'.repeat(80);
    const text = statusReport({
      ...base,
      status: {
        active: [
          job({ state: 'queued', prompt: 'second', createdAt: NOW - 60_000 }),
          job({ prompt: long, minimaxStatus: 'Queueing', createdAt: NOW - 65 * 60_000 }),
          job({ state: 'uploading', prompt: '', mode: 'i2v', createdAt: NOW - 10_000 }),
        ],
        remainingToday: 1,
        resetsAt: MIDNIGHT,
      },
      positionOf: (id) => (id.length > 0 ? 2 : undefined),
    });
    expect(text.split('\n')).toEqual([
      'You have 3 videos in progress:',
      `• “${'x'.repeat(60)}…”: waiting at MiniMax, started 1 h 5 min ago`,
      '• “second”: waiting in line, position 2, started 1 min ago',
      '• a I2V video: uploading, started just now',
      'You can make one more video today; the count resets in 5 h 12 min (00:00 UTC).',
    ]);
  });

  it('shows ten jobs and counts the rest', () => {
    const active = Array.from({ length: 12 }, (_, i) => job({ prompt: `p${i}` }));
    const lines = statusReport({ ...base, status: { active, resetsAt: MIDNIGHT } }).split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[11]).toBe('• and 2 more');
  });
});

describe('status report in Chinese', () => {
  const base = { now: NOW, lang: 'zh' as const };

  it('says in Chinese that nothing is in progress and there is no limit', () => {
    expect(statusReport({ ...base, status: { active: [], resetsAt: MIDNIGHT } })).toBe(
      '你没有进行中的视频。\n你没有每日视频限额。',
    );
  });

  it('lists jobs with Chinese states, positions and ages', () => {
    const text = statusReport({
      ...base,
      status: {
        active: [
          job({ state: 'queued', prompt: '一只猫', createdAt: NOW - 60_000 }),
          job({ prompt: 'dusk', minimaxStatus: 'Queueing', createdAt: NOW - 65 * 60_000 }),
          job({ state: 'submitting', prompt: 'b', createdAt: NOW - 2 * 60_000 }),
          job({ prompt: 'c', minimaxStatus: 'Preparing', createdAt: NOW - 2 * 60_000 }),
          job({ prompt: 'd', minimaxStatus: 'Processing', createdAt: NOW - 2 * 60_000 }),
          job({ state: 'uploading', prompt: '', mode: 'i2v', createdAt: NOW - 10_000 }),
        ],
        remainingToday: 3,
        resetsAt: MIDNIGHT,
      },
      positionOf: (id) => (id.length > 0 ? 2 : undefined),
    });
    expect(text.split('\n')).toEqual([
      '你有 6 个视频正在进行：',
      '• “dusk”：MiniMax 排队中，1 小时 5 分钟前开始',
      '• “b”：正在提交，2 分钟前开始',
      '• “c”：MiniMax 准备中，2 分钟前开始',
      '• “d”：生成中，2 分钟前开始',
      '• “一只猫”：排队中，第 2 位，1 分钟前开始',
      '• 一个 I2V 视频：正在上传，刚刚开始',
      '你今天还可以生成 3 个视频；额度将于 5 小时 12 分钟后（UTC 00:00）重置。',
    ]);
  });

  it('blames the team budget in Chinese when it is what runs out or is short', () => {
    const quota = (teamRemaining: number) =>
      statusReport({
        ...base,
        status: { active: [], resetsAt: MIDNIGHT },
        quota: {
          userRemaining: 3,
          teamRemaining,
          remainingToday: teamRemaining,
          resetsAt: MIDNIGHT,
        },
      }).split('\n')[1];
    expect(quota(0)).toBe('团队今天的视频额度已用完；5 小时 12 分钟后（UTC 00:00）可以继续生成。');
    expect(quota(1)).toBe(
      '你今天还可以生成 1 个视频（这是团队每日额度的剩余量）；额度将于 5 小时 12 分钟后（UTC 00:00）重置。',
    );
  });

  it('says in Chinese when the user has used up their own videos, and counts hidden jobs', () => {
    const active = Array.from({ length: 12 }, (_, i) => job({ prompt: `p${i}` }));
    const lines = statusReport({
      ...base,
      status: { active, remainingToday: 0, resetsAt: MIDNIGHT },
    }).split('\n');
    expect(lines[11]).toBe('• 还有 2 个');
    expect(lines[12]).toBe('你今天的视频额度已用完；5 小时 12 分钟后（UTC 00:00）可以继续生成。');
  });
});

describe('admin changes against the real policy', () => {
  let store: JobStore;
  const clock: Clock = { now: () => NOW, sleep: async () => {} };
  const owner: JobOrigin = {
    platform: 'slack',
    userId: 'U0OWNER',
    channelId: 'C1',
    workspaceId: 'T1',
    ref: {},
  };
  beforeEach(async () => {
    store = await openJobStore('memory://');
  });
  afterEach(async () => {
    await store.close();
  });
  const policy = (env: Record<string, string>) =>
    createSubmitPolicy({
      config: loadConfig(env),
      store,
      ledger: memoryLedger(),
      clock,
      platforms: platformAccessFrom(loadConfig(env)),
    });

  it('refuses a user who is not an admin, even to show the limits', async () => {
    const p = policy({ ADMIN_USERS: 'U0OWNER' });
    await expect(
      applyAdminChange(p, { ...owner, userId: 'U0ELSE' }, { kind: 'show' }),
    ).rejects.toMatchObject({ code: 'not_admin' });
  });

  it('needs a workspace to attach the limits to', async () => {
    const p = policy({ ADMIN_USERS: 'U0OWNER' });
    const { workspaceId: _none, ...direct } = owner;
    await expect(applyAdminChange(p, direct, { kind: 'show' })).rejects.toMatchObject({
      code: 'no_workspace',
    });
  });

  it('restores the env setting on default and says what it is', async () => {
    const p = policy({ ADMIN_USERS: 'U0OWNER', USER_DAILY_LIMIT: '4', USER_MAX_ACTIVE: '2' });
    await applyAdminChange(p, owner, { kind: 'user_limit', limit: 9 });
    expect(await applyAdminChange(p, owner, { kind: 'user_limit', limit: 'default' })).toBe(
      "The per-person limit here is back to the bot's setting: up to 4 videos a day.",
    );
    expect(describeLimits(await p.limits('T1'))).toBe(
      'Here each person may make up to 4 videos a day (2 at once), the team has no daily budget, and videos can be made in any channel.',
    );
  });

  it('answers an admin with a zh locale in Chinese for every change and for show', async () => {
    const p = policy({ ADMIN_USERS: 'U0OWNER', USER_DAILY_LIMIT: '4', USER_MAX_ACTIVE: '2' });
    const zh = { ...owner, locale: 'zh' };
    expect(await applyAdminChange(p, zh, { kind: 'user_limit', limit: 9 })).toBe(
      '现在此处每人每天最多可生成 9 个视频。',
    );
    expect(await applyAdminChange(p, zh, { kind: 'user_limit', limit: 'default' })).toBe(
      '此处的每人限额已恢复为机器人的设置：每天最多可生成 4 个视频。',
    );
    expect(await applyAdminChange(p, zh, { kind: 'team_limit', limit: 40 })).toBe(
      '现在此团队的总额度为：每天最多 40 个视频。',
    );
    expect(await applyAdminChange(p, zh, { kind: 'team_limit', limit: 'default' })).toBe(
      '此处的团队总额度已恢复为机器人的设置：不限。',
    );
    expect(await applyAdminChange(p, zh, { kind: 'channels', channels: ['C0AAA', 'C0BBB'] })).toBe(
      '现在只能在 <#C0AAA>、<#C0BBB> 中生成视频。',
    );
    expect(await applyAdminChange(p, zh, { kind: 'show' })).toBe(
      '此处每人每天最多可生成 4 个视频（同时最多 2 个），团队没有每日总额度，只能在 <#C0AAA>、<#C0BBB> 中生成视频。',
    );
    expect(await applyAdminChange(p, zh, { kind: 'channels', channels: 'default' })).toBe(
      '频道列表已恢复为机器人的设置：可以在此处任意频道生成视频。',
    );
    expect(await applyAdminChange(p, owner, { kind: 'show' })).toBe(
      'Here each person may make up to 4 videos a day (2 at once), the team has no daily budget, and videos can be made in any channel.',
    );
  });
});
