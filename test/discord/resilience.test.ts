import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { DiscordHarness, SAMPLE_MP4, useDiscordHarness } from './discord-harness.js';

describe('Discord delivery under rate limits, expired tokens, size limits and restarts', () => {
  const { start, contract } = useDiscordHarness();

  async function videoIn(h: DiscordHarness, messageId: string) {
    await h.waitForVideo(messageId);
    const uploads = h.fake.recorder.requests.filter((r) => r.files.length > 0 && r.status === 200);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.files[0]!.bytes.equals(SAMPLE_MP4)).toBe(true);
    return uploads[0]!;
  }

  it('waits out a 429 on a progress edit and still delivers the video', async () => {
    const h = await start();
    h.fake.rateLimitNext('PATCH', /@original$/, 0.05);
    const messageId = await h.replyIdOf(h.fake.slashCommand('video', { prompt: 'busy day' }));
    await videoIn(h, messageId);
    const statuses = h.fake.recorder.find('PATCH', /@original$/).map((r) => r.status);
    expect(statuses[0]).toBe(429);
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true);
  });

  it('switches to the bot token after Discord refuses the interaction token', async () => {
    const h = await start({
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 400 } },
    });
    const i = h.fake.slashCommand('video', { prompt: 'long render' });
    const messageId = await h.replyIdOf(i);
    await h.fake.recorder.waitFor((r) => r.method === 'PATCH' && r.status === 200);
    h.fake.expireToken(i.token);
    const upload = await videoIn(h, messageId);
    expect(upload.path).toBe(`/channels/${h.fake.channelId}/messages/${messageId}`);
    expect(upload.headers.authorization).toBe(`Bot ${h.fake.token}`);
    const refused = h.fake.recorder.requests.filter((r) => r.errorCode === 50027);
    expect(refused).toHaveLength(1);
  });

  it('edits through the channel API once the 15-minute token lifetime has passed', async () => {
    let offsetMs = 0;
    const later: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
    const h = await start({
      adapterClock: later,
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 300 } },
    });
    const i = h.fake.slashCommand('video', { prompt: 'patience' });
    const messageId = await h.replyIdOf(i);
    await h.fake.recorder.waitFor((r) => r.method === 'PATCH' && r.status === 200);
    offsetMs = 15 * 60_000;
    const upload = await videoIn(h, messageId);
    expect(upload.path).toBe(`/channels/${h.fake.channelId}/messages/${messageId}`);
    expect(h.fake.recorder.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('posts a link instead of the file when the video is over the upload limit', async () => {
    const h = await start();
    const messageId = await h.replyIdOf(
      h.fake.slashCommand('video', { prompt: 'huge' }, { attachmentSizeLimit: 1024 }),
    );
    await expect
      .poll(() => h.fake.state.messages.get(messageId)?.content ?? '', { timeout: 15_000 })
      .toContain('Your video is ready');
    const content = h.fake.state.messages.get(messageId)!.content;
    expect(content).toMatch(
      /over this channel’s upload limit, so here is a link: http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(content).toMatch(/The link expires <t:\d+:R>\./);
    expect(h.fake.recorder.requests.filter((r) => r.files.length > 0)).toHaveLength(0);
  });

  it('falls back to a link when Discord refuses the upload as too large', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', { prompt: 'surprise limit' });
    await h.replyIdOf(i);
    // Discord's real limit turns out lower than the interaction said.
    h.fake.state.interactions.get(i.id)!.attachmentSizeLimit = 1024;
    const messageId = h.fake.state.interactions.get(i.id)!.originalMessageId!;
    await expect
      .poll(() => h.fake.state.messages.get(messageId)?.content ?? '', { timeout: 15_000 })
      .toContain('here is a link');
    expect(h.fake.recorder.requests.filter((r) => r.errorCode === 40005)).toHaveLength(1);
    const job = await h.waitForJob(() => true, ['done']);
    expect(job.resultUrl).toContain(messageId);
  });

  it('posts the video as a new reply when its message was deleted', async () => {
    const h = await start({
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 300 } },
    });
    const i = h.fake.slashCommand('video', { prompt: 'gone' });
    const messageId = await h.replyIdOf(i);
    await h.fake.recorder.waitFor((r) => r.method === 'PATCH' && r.status === 200);
    h.fake.state.messages.delete(messageId);
    const posted = await h.fake.recorder.waitFor(
      (r) => r.method === 'POST' && r.path.endsWith('/messages') && r.status === 200,
      15_000,
    );
    expect(posted.files[0]!.bytes.equals(SAMPLE_MP4)).toBe(true);
    expect(posted.body).toMatchObject({ message_reference: { message_id: messageId } });
    const job = await h.waitForJob(() => true, ['done']);
    expect(job.origin.ref.deliveredMessageId).not.toBe(messageId);
  });

  it('keeps updating and delivers to the same message after a restart mid-generation', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'discord-restart-'));
    const storeUrl = `sqlite://${dataDir}/bot.sqlite`;
    const before = await DiscordHarness.create({
      ...contract(),
      dataDir,
      storeUrl,
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: 1500 } },
    });
    const messageId = await before.replyIdOf(
      before.fake.slashCommand('video', { prompt: 'reboot' }),
    );
    await expect.poll(() => before.sim.creates().length, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => before.fake.state.messages.get(messageId)?.content ?? '', { timeout: 10_000 })
      .toMatch(/^⏳ \*\*(Preparing|Waiting at MiniMax|Rendering)\*\*/);
    await before.close({ fake: true, sim: true, dir: true });
    const editsBefore = before.fake.recorder.requests.length;

    const h = await start({ fake: before.fake, sim: before.sim, dataDir, storeUrl });
    await videoIn(h, messageId);
    expect(h.sim.creates()).toHaveLength(1);
    expect(h.fake.identifies).toHaveLength(2);
    const afterRestart = h.fake.recorder.requests
      .slice(editsBefore)
      .filter((r) => r.method === 'PATCH' && r.status === 200);
    expect(afterRestart.length).toBeGreaterThan(0);
    expect(afterRestart.every((r) => r.path.endsWith('/messages/@original'))).toBe(true);
  });
});
