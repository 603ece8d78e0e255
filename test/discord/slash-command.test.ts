import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { type DiscordHarness, fixture, SAMPLE_MP4, useDiscordHarness } from './discord-harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('/video slash command end to end', () => {
  const { start, contract, contractChecked } = useDiscordHarness();
  afterAll(() => {
    expect(contractChecked()).toBeGreaterThan(0);
  });

  /** The last version of the interaction's reply once it carries a file. */
  async function finalReply(h: DiscordHarness, interactionId: string) {
    const id = await h.replyIdOf({ id: interactionId });
    await h.waitForVideo(id);
    return { message: h.fake.state.messages.get(id)!, history: h.fake.state.history.get(id)! };
  }

  it('defers a text-to-video command, shows progress, then puts the MP4 in the same message', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', { prompt: 'a cat surfing', camera: 'Pan left' });
    const { message, history } = await finalReply(h, i.id);
    const callback = h.fake.recorder.find('POST', /\/callback$/)[0]!;
    expect(callback.body).toMatchObject({ type: 5, data: { flags: 0 } });
    const upload = h.fake.recorder.find('PATCH', /@original$/).find((r) => r.files.length > 0)!;
    expect(upload.files[0]!.sha256).toBe(sha(SAMPLE_MP4));
    expect(message.content).toContain('MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]');
    expect(message.content).toContain('a cat surfing');
    const progress = history.filter((m) => m.content.startsWith('⏳'));
    expect(progress.length).toBeGreaterThan(0);
    const buttons = JSON.stringify(message.components);
    expect(buttons).toContain('video:regen:');
    expect(buttons).toContain('video:vary:');
    expect(JSON.stringify(progress.at(-1)!.components)).toContain('video:cancel:');
    const create = h.sim.creates()[0]!;
    expect(create.body).toMatchObject({
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'a cat surfing [Pan left]',
    });
  });

  it('animates the image option as the first frame', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', {
      prompt: 'she smiles',
      image: { filename: 'frame.png', bytes: fixture('frame.png'), contentType: 'image/png' },
    });
    await finalReply(h, i.id);
    expect(h.fake.recorder.find('GET', /^\/cdn\/attachments\//)).toHaveLength(1);
    const body = h.sim.creates()[0]!.body as Record<string, unknown>;
    expect(body.first_frame_image).toMatch(/^data:image\/png;base64,/);
  });

  it('makes a first-and-last-frame video from image and last_frame', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', {
      image: { filename: 'a.png', bytes: fixture('frame.png'), contentType: 'image/png' },
      last_frame: { filename: 'b.webp', bytes: fixture('last.webp'), contentType: 'image/webp' },
    });
    const { message } = await finalReply(h, i.id);
    const body = h.sim.creates()[0]!.body as Record<string, unknown>;
    expect(body.model).toBe('MiniMax-Hailuo-02');
    expect(body.first_frame_image).toMatch(/^data:image\/png;base64,/);
    expect(body.last_frame_image).toMatch(/^data:image\/webp;base64,/);
    expect(message.content).toContain('MiniMax-Hailuo-02');
  });

  it('makes a subject-reference video from a face photo', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', {
      prompt: 'walking on a beach',
      subject: { filename: 'face.jpg', bytes: fixture('frame.jpg'), contentType: 'image/jpeg' },
    });
    await finalReply(h, i.id);
    const body = h.sim.creates()[0]!.body as Record<string, unknown>;
    expect(body.model).toBe('S2V-01');
    expect(JSON.stringify(body.subject_reference)).toContain('data:image/jpeg;base64,');
  });

  it('opens the modal with file uploads when /video comes with nothing to animate', async () => {
    const h = await start();
    h.fake.slashCommand('video', { model: 'MiniMax-Hailuo-02', duration: 10 });
    const cb = await h.fake.recorder.waitForRequest('POST', /\/callback$/);
    const body = cb.body as { type: number; data: { custom_id: string; components: unknown[] } };
    expect(body.type).toBe(9);
    expect(body.data.custom_id).toBe('video-modal|MiniMax-Hailuo-02|10||||');
    const json = JSON.stringify(body.data.components);
    expect(json.match(/"type":19/g)).toHaveLength(3);
    expect(json).toContain('"custom_id":"prompt"');
    expect(h.sim.creates()).toHaveLength(0);
  });

  it('still delivers when the interaction callback answers 204 without the asked-for body', async () => {
    const fake = await startFakeDiscord({ callbackBodies: false, ...contract() });
    const h = await start({ fake });
    const i = h.fake.slashCommand('video', { prompt: 'a lax proxy' });
    const { message } = await finalReply(h, i.id);
    expect(message.attachments?.length).toBe(1);
    expect(h.sim.creates()).toHaveLength(1);
  });

  it('answers in Simplified Chinese for a zh-CN user', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', { prompt: '一只猫' }, { locale: 'zh-CN' });
    const { message } = await finalReply(h, i.id);
    expect(message.content).toContain('视频已生成');
    expect(message.content).toContain('6 秒');
  });

  it('acknowledges 20 simultaneous commands in time and finishes every one', async () => {
    // Two at a time, so most commands really wait in line and show their position.
    const h = await start({ env: { MAX_ACTIVE_JOBS: '2' } });
    const all = Array.from({ length: 20 }, (_, n) =>
      h.fake.slashCommand('video', { prompt: `crowd ${n}` }),
    );
    for (const i of all) await finalReply(h, i.id);
    const callbacks = h.fake.recorder.find('POST', /\/callback$/);
    expect(callbacks.map((r) => r.status)).toEqual(all.map(() => 200));
    const shown = [...h.fake.state.history.values()].flat().map((m) => m.content);
    expect(shown.some((c) => /position \d+ in line/.test(c))).toBe(true);
    expect(h.sim.creates()).toHaveLength(20);
  });

  it('answers bad input with the core sentence and never calls MiniMax', async () => {
    const h = await start();
    const i = h.fake.slashCommand('video', { prompt: 'x', resolution: '1080P', duration: 10 });
    const fakeI = h.fake.state.interactions.get(i.id)!;
    await expect
      .poll(() => h.fake.state.messages.get(fakeI.originalMessageId ?? '')?.content ?? '', {
        timeout: 10_000,
      })
      .toMatch(/^❌ /);
    expect(h.sim.creates()).toHaveLength(0);
  });
});
