import { describe, expect, it } from 'vitest';
import { openJobStore } from '../../src/backend/open-job-store.js';
import type { AdminPolicy } from '../../src/chat/admin-change.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/core/clock.js';
import { createSubmitPolicy } from '../../src/core/policy/submit-policy.js';
import { discordAdminAnswer } from '../../src/discord/admin-command.js';
import { platformAccessFrom } from '../../src/platform-access.js';
import { memoryLedger } from '../core/policy/memory-ledger.js';
import { type DiscordHarness, silent, useDiscordHarness } from './discord-harness.js';

/** The content of the interaction's reply, polled until it matches. */
async function replyContent(h: DiscordHarness, interactionId: string, match: RegExp) {
  const fakeI = h.fake.state.interactions.get(interactionId)!;
  await expect
    .poll(() => h.fake.state.messages.get(fakeI.originalMessageId ?? '')?.content ?? '', {
      timeout: 10_000,
    })
    .toMatch(match);
  return h.fake.state.messages.get(fakeI.originalMessageId!)!.content;
}

describe('Discord errors follow the user locale', () => {
  const { start } = useDiscordHarness();

  it('answers a zh-CN user asking for 1080P and 10 seconds in Chinese, with no MiniMax create', async () => {
    const h = await start();
    const i = h.fake.slashCommand(
      'video',
      { prompt: 'x', resolution: '1080P', duration: 10 },
      { locale: 'zh-CN' },
    );
    const content = await replyContent(h, i.id, /^❌ /);
    expect(content).toBe('❌ 1080P 视频只能是 6 秒，请选择 6 秒，或选择 768P 来生成 10 秒视频。');
    expect(h.sim.creates()).toHaveLength(0);
  });

  it('answers an en-US user with the same refusal in English', async () => {
    const h = await start();
    const i = h.fake.slashCommand(
      'video',
      { prompt: 'x', resolution: '1080P', duration: 10 },
      { locale: 'en-US' },
    );
    const content = await replyContent(h, i.id, /^❌ /);
    expect(content).toContain('1080P videos can only be 6 seconds long');
  });

  it('shows a zh-CN user the Chinese reason when MiniMax refuses the prompt', async () => {
    const h = await start();
    h.sim.inject({ route: 'create', kind: 'base_resp', code: 1026, msg: 'input sensitive' });
    const i = h.fake.slashCommand('video', { prompt: 'a cat surfing' }, { locale: 'zh-CN' });
    const content = await replyContent(h, i.id, /^❌ \*\*/);
    expect(content).toContain('❌ **视频生成失败。**');
    expect(content).toContain('提示词或图片未通过 MiniMax 内容审核，请修改后再试。');
    expect(content).not.toContain('content moderation');
    const job = await h.waitForJob(() => true, ['failed']);
    expect(job.error).toMatchObject({
      code: 'minimax_input_moderation',
      userMessageZh: '提示词或图片未通过 MiniMax 内容审核，请修改后再试。',
    });
  });
});

describe('/video-status and /video-admin answers follow the user locale', () => {
  const { start } = useDiscordHarness();

  const reply = (h: DiscordHarness, interactionId: string) => replyContent(h, interactionId, /\S/);

  it('answers /video-status for a zh-CN user in Chinese and for an en-US user in English', async () => {
    const h = await start();
    const zh = await reply(h, h.fake.slashCommand('video-status', {}, { locale: 'zh-CN' }).id);
    const [first, quota] = zh.split('\n');
    expect(first).toBe('你没有进行中的视频。');
    expect(quota).toMatch(/^你(没有每日视频限额|今天)/);
    const en = await reply(h, h.fake.slashCommand('video-status', {}, { locale: 'en-US' }).id);
    expect(en.split('\n')[0]).toBe('You have no videos in progress.');
  });

  it('answers /video-admin show for a zh-CN admin in Chinese', async () => {
    const h = await start();
    const data = {
      id: h.fake.state.ids.next(),
      name: 'video-admin',
      type: 1,
      options: [{ name: 'show', type: 1, options: [] }],
    };
    const manageGuild = 1n << 5n;
    const zh = h.fake.dispatchInteraction(2, data, { locale: 'zh-CN', permissions: manageGuild });
    // The harness bot is built like `serve`, with the real policy and no limits set.
    expect(await reply(h, zh.id)).toBe(
      '此处每人每天可生成任意数量的视频，团队没有每日总额度，可以在任意频道生成视频。',
    );
    const en = h.fake.dispatchInteraction(2, data, { locale: 'en-US', permissions: manageGuild });
    expect(await reply(h, en.id)).toBe(
      'Here each person may make any number of videos a day, the team has no daily budget, and videos can be made in any channel.',
    );
  });

  it('describes the limits in force to a zh admin in Chinese, from the real policy', async () => {
    const store = await openJobStore('memory://');
    try {
      const config = loadConfig({ USER_DAILY_LIMIT: '5', TEAM_DAILY_LIMIT: '20' });
      const policy = createSubmitPolicy({
        config,
        store,
        ledger: memoryLedger(),
        clock: systemClock,
        platforms: platformAccessFrom(config),
      });
      const by = (locale: string) => ({
        platform: 'discord' as const,
        userId: 'u1',
        channelId: 'c1',
        workspaceId: 'g1',
        locale,
        isAdmin: true,
        ref: {},
      });
      const show = (locale: string) =>
        discordAdminAnswer({ policy, adminUsers: [], logger: silent }, by(locale), {
          subcommand: 'show',
        });
      expect(await show('zh')).toBe(
        '此处每人每天最多可生成 5 个视频，团队每天最多 20 个视频，可以在任意频道生成视频。',
      );
      expect(await show('en')).toMatch(/^Here each person may make up to 5 videos a day/);
    } finally {
      await store.close();
    }
  });
});

describe('/video-admin refusals follow the user locale', () => {
  const policy = { isAdmin: () => false } as unknown as AdminPolicy;
  const answer = (locale: string) =>
    discordAdminAnswer(
      { policy, adminUsers: [], logger: silent },
      { platform: 'discord', userId: 'u1', channelId: 'c1', workspaceId: 'g1', locale, ref: {} },
      { subcommand: 'show' },
    );

  it('tells a zh user in Chinese that only admins may see the limits', async () => {
    expect(await answer('zh')).toBe('只有此服务器或工作区的管理员才能查看或修改视频限额。');
    expect(await answer('en')).toBe(
      'Only an admin of this server or workspace can see or change its video limits.',
    );
  });
});
