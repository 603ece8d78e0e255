import { describe, expect, it } from 'vitest';
import type { AdminPolicy } from '../../src/core/policy/admin-change.js';
import { discordAdminAnswer } from '../../src/discord/admin-command.js';
import { type DiscordHarness, silent, useDiscordHarness } from './discord-harness.js';

describe('Discord errors follow the user locale', () => {
  const { start } = useDiscordHarness();

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
