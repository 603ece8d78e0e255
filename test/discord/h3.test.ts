import { describe, expect, it } from 'vitest';
import { type DiscordHarness, useDiscordHarness } from './discord-harness.js';

/** The uploaded file's bytes, from the fake CDN the attachment URL points at. */
function uploaded(h: DiscordHarness, messageId: string): Buffer {
  const url = h.fake.state.messages.get(messageId)!.attachments[0]!.url.split('?')[0]!;
  return [...h.fake.state.cdn.entries()].find(([path]) => url.endsWith(path))![1].bytes;
}

function buttonIds(h: DiscordHarness, messageId: string): string[] {
  const msg = h.fake.state.messages.get(messageId);
  return JSON.stringify(msg?.components ?? []).match(/video:[a-z]+:[^"]+/g) ?? [];
}

/** Issue #13 on Discord: MiniMax-H3 from the slash command and a mention, Upscale to 2K. */
describe('MiniMax-H3 on Discord', () => {
  const discord = useDiscordHarness();
  const start = () =>
    discord.start({ simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 60 } } });

  it('makes a 9:16, 12 s video with sound from /video and offers Upscale to 2K', async () => {
    const h = await start();
    const first = await h.replyIdOf(
      h.fake.slashCommand('video', {
        prompt: 'rain on a tin roof',
        model: 'MiniMax-H3',
        ratio: '9:16',
        duration: 12,
      }),
    );
    await h.waitForVideo(first);
    expect(h.sim.creates()[0]?.body).toMatchObject({
      model: 'MiniMax-H3',
      ratio: '9:16',
      duration: 12,
      resolution: '768P',
    });
    expect(uploaded(h, first).includes(Buffer.from('mp4a'))).toBe(true);
    const content = h.fake.state.messages.get(first)!.content;
    expect(content).toContain('with sound');
    expect(content).toContain('This video has sound.');
    const upscale = buttonIds(h, first).find((id) => id.startsWith('video:upscale:'));
    expect(upscale).toBeDefined();
    expect(JSON.stringify(h.fake.state.messages.get(first)!.components)).toContain(
      'Upscale to 2K (up to US$ 1.56)',
    );
    const second = await h.replyIdOf(h.fake.button(upscale!, first));
    await h.waitForVideo(second);
    const regen = h.sim.requests.find((r) => r.route === 'regenerate');
    expect(regen?.body).toMatchObject({ resolution: '2K', duration: 12 });
    expect(h.fake.state.messages.get(second)!.content).toContain('2K');
    // The 2K video offers no second upscale.
    expect(buttonIds(h, second).some((id) => id.startsWith('video:upscale:'))).toBe(false);
  });

  it('takes the H3 options from a mention', async () => {
    const h = await start();
    const mention = h.fake.userMessage({
      content: `<@${h.fake.bot.id}> a lighthouse in a storm --model MiniMax-H3 --ratio 1:1 --duration 5`,
      mentionBot: true,
    });
    await expect
      .poll(
        () =>
          h.fake
            .messagesIn()
            .find(
              (m) =>
                m.author.id === h.fake.bot.id && m.message_reference?.message_id === mention.id,
            )?.attachments.length,
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(h.sim.creates()[0]?.body).toMatchObject({
      model: 'MiniMax-H3',
      ratio: '1:1',
      duration: 5,
      content: [{ type: 'text', text: 'a lighthouse in a storm' }],
    });
  });

  it('refuses a bad H3 length in one sentence, creating nothing', async () => {
    const h = await start();
    const reply = await h.replyIdOf(
      h.fake.slashCommand('video', {
        prompt: 'x',
        model: 'MiniMax-H3',
        duration: 15,
        resolution: '1080P',
      }),
    );
    await expect
      .poll(() => h.fake.state.messages.get(reply)?.content, { timeout: 10_000 })
      .toBe('❌ MiniMax-H3 makes 768P or 2K videos; pick one of those resolutions.');
    expect(h.sim.creates()).toHaveLength(0);
  });
});
