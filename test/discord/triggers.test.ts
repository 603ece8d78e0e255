import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { type DiscordHarness, fixture, SAMPLE_MP4, useDiscordHarness } from './discord-harness.js';

const png = () => ({ filename: 'a.png', bytes: fixture('frame.png'), contentType: 'image/png' });
const webp = () => ({ filename: 'b.webp', bytes: fixture('last.webp'), contentType: 'image/webp' });

describe('message triggers end to end (no Message Content intent)', () => {
  const { start } = useDiscordHarness();

  /** The bot's reply to `userMessageId`, once it carries the video. */
  async function videoReplyTo(h: DiscordHarness, userMessageId: string): Promise<APIMessage> {
    const find = () =>
      h.fake
        .messagesIn()
        .find(
          (m) => m.author.id === h.fake.bot.id && m.message_reference?.message_id === userMessageId,
        );
    await expect.poll(() => find()?.attachments.length, { timeout: 15_000 }).toBe(1);
    return find()!;
  }

  it('connects with Guilds, GuildMessages and DirectMessages but not Message Content', async () => {
    const h = await start();
    const intents = h.fake.identifies.at(-1)!.intents;
    expect(intents).toBe((1 << 0) | (1 << 9) | (1 << 12));
  });

  it('animates the image of a message that mentions the bot', async () => {
    const h = await start();
    const msg = h.fake.userMessage({
      content: `<@${h.fake.bot.id}> the sea moves`,
      files: [png()],
      mentionBot: true,
    });
    const reply = await videoReplyTo(h, msg.id);
    const body = h.sim.creates()[0]!.body as Record<string, unknown>;
    expect(body.prompt).toBe('the sea moves');
    expect(body.first_frame_image).toMatch(/^data:image\/png;base64,/);
    const upload = h.fake.recorder
      .find('PATCH', new RegExp(`/messages/${reply.id}$`))
      .find((r) => r.files.length > 0)!;
    expect(upload.files[0]!.bytes.equals(SAMPLE_MP4)).toBe(true);
    expect(upload.headers.authorization).toBe(`Bot ${h.fake.token}`);
  });

  it('makes a first-and-last-frame video from a pinged reply with two images', async () => {
    const h = await start();
    const botMsg = h.fake.state.createMessage({
      channelId: h.fake.channelId,
      author: h.fake.bot,
      body: { content: 'earlier video' },
    });
    const msg = h.fake.userMessage({
      content: 'morph between these',
      files: [png(), webp()],
      replyTo: botMsg.id,
      mentionBot: true,
    });
    await videoReplyTo(h, msg.id);
    const body = h.sim.creates()[0]!.body as Record<string, unknown>;
    expect(body.model).toBe('MiniMax-Hailuo-02');
    expect(body.last_frame_image).toMatch(/^data:image\/webp;base64,/);
  });

  it('ignores messages that do not address the bot', async () => {
    const h = await start();
    h.fake.userMessage({ content: 'just chatting', files: [png()] });
    const mention = h.fake.userMessage({
      content: `<@${h.fake.bot.id}> a fox`,
      mentionBot: true,
    });
    await videoReplyTo(h, mention.id);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('refuses three images with one sentence and no MiniMax call', async () => {
    const h = await start();
    const msg = h.fake.userMessage({
      content: `<@${h.fake.bot.id}> go`,
      files: [png(), png(), webp()],
      mentionBot: true,
    });
    await expect
      .poll(
        () => h.fake.messagesIn().find((m) => m.message_reference?.message_id === msg.id)?.content,
        { timeout: 10_000 },
      )
      .toBe('❌ Attach one image (first frame) or two images (first and last frame), not 3.');
    expect(h.sim.creates()).toHaveLength(0);
  });

  it('animates the target of the "Animate this image" context menu', async () => {
    const h = await start();
    const target = h.fake.state.createMessage({
      channelId: h.fake.channelId,
      author: h.fake.user,
      body: { content: 'sunset over the hills' },
      attachments: [h.fake.upload(png())],
    });
    const i = h.fake.messageCommand('Animate this image', target);
    await h.waitForVideo(await h.replyIdOf(i));
    const body = h.sim.creates()[0]!.body as Record<string, unknown>;
    expect(body.prompt).toBe('sunset over the hills');
    expect(body.first_frame_image).toMatch(/^data:image\/png;base64,/);
  });
});
