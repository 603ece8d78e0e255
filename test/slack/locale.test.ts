import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackHarness } from './slack-harness.js';

/** Slack users read the catalog's sentences in their own language (users.info locale). */
describe('Slack messages in the user’s language', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await SlackHarness.create({ mode: 'socket' });
  });
  afterEach(async () => {
    await h.close();
  });

  async function failedHeadline(userId: string, text: string): Promise<string> {
    await h.fake.slashCommand({ text, userId });
    const job = await h.waitForState(['failed']);
    const ts = String(job.origin.ref.statusTs);
    const channel = String(job.origin.ref.channel);
    const headline = () => {
      const blocks = h.fake.state.message(channel, ts)?.blocks as { text?: { text?: string } }[];
      return blocks?.[0]?.text?.text ?? '';
    };
    // The whole status message follows the user's Slack language (issue #15).
    await expect.poll(headline, { timeout: 5_000 }).toMatch(/^:x: \*(Failed\*: |失败\*：)/);
    return headline();
  }

  it('tells a zh-CN user why the video failed in Simplified Chinese, read from users.info', async () => {
    h.fake.state.locales.set('U0ZH', 'zh-CN');
    const line = await failedHeadline('U0ZH', 'a forbidden thing [[moderation]]');
    expect(line).toMatch(/^:x: \*失败\*：/);
    expect(line).toContain('提示词或图片未通过 MiniMax 内容审核，请修改后再试。');
    const lookups = h.fake.recorder.of('users.info');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.args['user']).toBe('U0ZH');
    // Form-encoded by the WebClient, so the flag arrives as text.
    expect(String(lookups[0]!.args['include_locale'])).toBe('true');
  });

  it('keeps English for an en-US user', async () => {
    const line = await failedHeadline('U0EN', 'another forbidden thing [[moderation]]');
    expect(line).toContain('rejected by MiniMax content moderation; change it and try again.');
  });

  it('falls back to English when Slack does not give the locale', async () => {
    h.fake.state.locales.set('U0ZH', 'zh-CN');
    h.fake.fail('users.info', { error: 'missing_scope' });
    const line = await failedHeadline('U0ZH', 'no scope [[moderation]]');
    expect(line).toContain('rejected by MiniMax content moderation');
  });
});
