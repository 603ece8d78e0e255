import { describe, expect, it } from 'vitest';
import { type DiscordHarness, useDiscordHarness } from './discord-harness.js';

describe('Cancel, Regenerate and Variations buttons end to end', () => {
  const discord = useDiscordHarness();

  const start = (processingMs = 60) =>
    discord.start({
      simOptions: { timelineMs: { preparing: 20, queueing: 20, processing: processingMs } },
    });

  function buttonIds(h: DiscordHarness, messageId: string): string[] {
    const msg = h.fake.state.messages.get(messageId);
    return JSON.stringify(msg?.components ?? []).match(/video:[a-z]+:[^"]+/g) ?? [];
  }

  it('cancels the job when the requester presses Cancel', async () => {
    const h = await start(5000);
    const messageId = await h.replyIdOf(h.fake.slashCommand('video', { prompt: 'slow' }));
    await expect
      .poll(() => buttonIds(h, messageId)[0] ?? '', { timeout: 10_000 })
      .toMatch(/cancel/);
    await expect.poll(() => h.sim.creates().length, { timeout: 10_000 }).toBe(1);
    h.fake.button(buttonIds(h, messageId)[0]!, messageId);
    await expect
      .poll(() => h.fake.state.messages.get(messageId)?.content, { timeout: 10_000 })
      .toMatch(/^⏹️ \*\*Cancelled\.\*\*/);
    const click = h.fake.recorder.find('POST', /\/callback$/).at(-1)!;
    expect(click.body).toEqual({ type: 6 });
    const job = await h.waitForJob(() => true, ['cancelled']);
    expect(job.cancelRequestedBy).toBe(h.fake.user.id);
  });

  it('tells anyone else privately that only the requester can cancel', async () => {
    const h = await start(5000);
    const messageId = await h.replyIdOf(h.fake.slashCommand('video', { prompt: 'slow' }));
    await expect
      .poll(() => buttonIds(h, messageId)[0] ?? '', { timeout: 10_000 })
      .toMatch(/cancel/);
    h.fake.button(buttonIds(h, messageId)[0]!, messageId, {
      user: { id: '1100000000000000099', username: 'bob' },
    });
    const reply = await h.fake.recorder.waitFor(
      (r) => r.path.endsWith('/callback') && (r.body as { type: number }).type === 4,
    );
    expect(reply.body).toEqual({
      type: 4,
      data: expect.objectContaining({
        content: 'Only the person who started this video can cancel it.',
        flags: 64,
      }),
    });
    const active = await h.store.listActive();
    expect(active.map((j) => j.state)).not.toContain('cancelled');
    expect(active).toHaveLength(1);
  });

  it('makes a new job with the same request when Regenerate is pressed', async () => {
    const h = await start();
    const first = await h.replyIdOf(h.fake.slashCommand('video', { prompt: 'again please' }));
    await h.waitForVideo(first);
    const regen = buttonIds(h, first).find((id) => id.startsWith('video:regen:'))!;
    const second = await h.replyIdOf(h.fake.button(regen, first));
    await h.waitForVideo(second);
    expect(second).not.toBe(first);
    const creates = h.sim.creates().map((r) => r.body as Record<string, unknown>);
    expect(creates).toHaveLength(2);
    expect(creates[1]).toEqual(creates[0]);
  });

  async function variationOf(h: DiscordHarness, options: Record<string, string | boolean>) {
    const first = await h.replyIdOf(h.fake.slashCommand('video', options));
    await h.waitForVideo(first);
    const vary = buttonIds(h, first).find((id) => id.startsWith('video:vary:'))!;
    const second = await h.replyIdOf(h.fake.button(vary, first));
    await h.waitForVideo(second);
    const creates = h.sim.creates().map((r) => r.body as Record<string, unknown>);
    return { creates, content: h.fake.state.messages.get(second)!.content };
  }

  it('sends another camera move for Variations and says which', async () => {
    const h = await start();
    const { creates, content } = await variationOf(h, { prompt: 'a kite', camera: 'Pan left' });
    expect(creates.map((c) => c.prompt)).toEqual(['a kite [Pan left]', 'a kite [Tracking shot]']);
    expect(creates[1]).toEqual({ ...creates[0], prompt: 'a kite [Tracking shot]' });
    expect(content).toContain('variation: camera [Tracking shot] instead of [Pan left]');
  });

  it('flips the prompt optimizer for Variations on a model without camera commands', async () => {
    const h = await start();
    const { creates, content } = await variationOf(h, {
      prompt: 'exact words',
      model: 'T2V-01',
      prompt_optimizer: false,
    });
    expect(creates.map((c) => c.prompt_optimizer)).toEqual([false, true]);
    expect(creates.map((c) => c.prompt)).toEqual(['exact words', 'exact words']);
    expect(content).toContain('variation: prompt optimizer on');
  });
});
