import { describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { type DiscordHarness, SAMPLE_MP4, useDiscordHarness } from './discord-harness.js';

/** The content of the bot's answer to an interaction, once it has text. */
async function answerTo(h: DiscordHarness, interactionId: string): Promise<string> {
  const i = h.fake.state.interactions.get(interactionId)!;
  await expect
    .poll(() => h.fake.state.messages.get(i.originalMessageId ?? '')?.content ?? '', {
      timeout: 10_000,
    })
    .toMatch(/\S/);
  return h.fake.state.messages.get(i.originalMessageId!)!.content;
}

/**
 * Slash commands work in channels the bot user cannot see. Within 15 minutes the interaction
 * token edits the reply anyway; after that only the bot token is left, and Discord answers
 * 403 Missing Access (50001). The paid video must still reach the user.
 */
describe('Discord delivery after the interaction token expired, in a channel the bot cannot see', () => {
  const { start } = useDiscordHarness();

  async function expiredInHiddenChannel(env: Record<string, string> = {}) {
    let offsetMs = 0;
    const later: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
    const h = await start({
      adapterClock: later,
      env,
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 400 } },
    });
    h.fake.hideChannel();
    const i = h.fake.slashCommand('video', { prompt: 'a very long queue' });
    await h.replyIdOf(i);
    await h.fake.recorder.waitFor((r) => r.method === 'PATCH' && r.status === 200);
    offsetMs = 15 * 60_000;
    return h;
  }

  it('sends the video to the requester in a DM when the channel answers 50001', async () => {
    const h = await expiredInHiddenChannel();
    const job = await h.waitForJob(() => true);
    expect(job.state).toBe('done');
    expect(h.fake.recorder.requests.some((r) => r.errorCode === 50001)).toBe(true);
    const dmChannel = h.fake.state.dmChannels.get(h.fake.user.id);
    expect(dmChannel).toBeDefined();
    const dm = [...h.fake.state.messages.values()].find((m) => m.channel_id === dmChannel);
    expect(dm?.content).toContain(`I could not post in <#${h.fake.channelId}>`);
    expect(dm?.attachments).toHaveLength(1);
    const upload = h.fake.recorder.requests.find(
      (r) => r.path === `/channels/${dmChannel}/messages` && r.status === 200,
    );
    expect(upload?.files[0]?.bytes.equals(SAMPLE_MP4)).toBe(true);
  });

  it('keeps the video reachable in /video-status when the DM is refused too', async () => {
    const h = await expiredInHiddenChannel({ PUBLIC_URL: 'https://bot.example.com' });
    h.fake.state.closedDms.add(h.fake.user.id);
    const job = await h.waitForJob(() => true);
    expect(job.state).toBe('done');
    const link = `https://bot.example.com/videos/${job.id}.mp4`;
    expect(job.resultUrl).toBe(link);
    expect(h.fake.recorder.requests.some((r) => r.errorCode === 50007)).toBe(true);
    h.fake.state.hiddenChannels.clear();
    const status = await answerTo(h, h.fake.slashCommand('video-status', {}).id);
    expect(status).toContain('Your latest videos:');
    expect(status).toContain(`“a very long queue”: ${link}`);
  });
});
