import { afterEach, describe, expect, it } from 'vitest';
import { SlackHarness } from './slack-harness.js';

const PUBLIC_URL = 'https://bot.example.com';

/**
 * Real Slack refuses to share a file into a public channel the bot only reached through
 * chat:write.public (`not_in_channel`); the fake does the same for every undeclared `C…` channel.
 */
describe('Slack channels the bot was never invited to', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  async function harness(env: Record<string, string> = {}) {
    const h = await SlackHarness.create({ mode: 'socket', env });
    cleanups.push(() => h.close());
    return h;
  }

  it('joins the public channel before sharing the MP4 there', async () => {
    const h = await harness();
    expect(h.fake.state.conversation('C0CHANNEL').botIsMember).toBe(false);
    await h.fake.slashCommand({ text: 'a lighthouse at dusk' });
    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    const join = h.fake.recorder.of('conversations.join');
    const complete = h.fake.recorder.of('files.completeUploadExternal');
    expect(join.map((c) => c.args.channel)).toEqual(['C0CHANNEL']);
    expect(complete).toHaveLength(1);
    expect(join[0]!.at).toBeLessThanOrEqual(complete[0]!.at);
    expect(h.fake.state.messages.some((m) => m.channel === 'C0CHANNEL' && m.files?.length)).toBe(
      true,
    );
  });

  it('links the paid video in the thread when the upload is refused with not_in_channel', async () => {
    const h = await harness({ PUBLIC_URL });
    h.fake.fail('conversations.join', { error: 'restricted_action' });
    await h.fake.slashCommand({ text: 'a lighthouse in a storm' });
    const job = await h.waitForState(['done', 'failed']);
    expect(job.state).toBe('done');
    const refused = h.fake.recorder.of('files.completeUploadExternal', { all: true });
    expect(refused.map((c) => (c.reply as { error?: string }).error)).toContain('not_in_channel');
    const statusTs = String(job.origin.ref.statusTs);
    const link = h.fake.state
      .thread('C0CHANNEL', statusTs)
      .find((m) => m.text.includes(`${PUBLIC_URL}/videos/${job.id}.mp4`));
    expect(link?.text).toContain('Slack did not accept the video upload here (not_in_channel)');
    const everything = JSON.stringify(h.fake.state.messages);
    expect(everything).not.toContain('files:write');
  });

  it('refuses /video in a private channel it is not in before any create, in one sentence', async () => {
    const h = await harness();
    h.fake.state.setConversation('G0SECRET', { isPrivate: true, botIsMember: false });
    await h.fake.slashCommand({ text: 'a secret plan', channelId: 'G0SECRET' });
    const answer = await h.fake.recorder.waitForCall('response_url');
    expect(String(answer.args.text)).toBe(
      "I can't post in this conversation; add me with /invite, then try again.",
    );
    expect(h.sim.creates()).toHaveLength(0);
  });
});
