import { describe, expect, it } from 'vitest';
import { fixture, useDiscordHarness } from './discord-harness.js';

const png = () => ({ filename: 'a.png', bytes: fixture('frame.png'), contentType: 'image/png' });
const webp = () => ({ filename: 'b.webp', bytes: fixture('last.webp'), contentType: 'image/webp' });
const jpg = () => ({
  filename: 'face.jpg',
  bytes: fixture('frame.jpg'),
  contentType: 'image/jpeg',
});

describe('/video modal end to end', () => {
  const discord = useDiscordHarness();

  async function submit(
    fields: Record<string, string | ReturnType<typeof png>[]>,
    customId = 'video-modal',
  ) {
    const h = await discord.start();
    const i = h.fake.modalSubmit(customId, fields);
    await h.waitForVideo(await h.replyIdOf(i));
    const callback = h.fake.recorder.find('POST', /\/callback$/)[0]!;
    expect(callback.body).toMatchObject({ type: 5 });
    return { h, body: h.sim.creates()[0]!.body as Record<string, unknown> };
  }

  it('makes a text-to-video from the prompt field', async () => {
    const { body } = await submit({ prompt: 'a paper boat', first: [], last: [], subject: [] });
    expect(body).toMatchObject({ model: 'MiniMax-Hailuo-2.3', prompt: 'a paper boat' });
    expect(body.first_frame_image).toBeUndefined();
  });

  it('animates the uploaded first frame', async () => {
    const { body } = await submit({ prompt: 'wind', first: [png()] });
    expect(body.first_frame_image).toMatch(/^data:image\/png;base64,/);
  });

  it('makes a first-and-last-frame video from two uploads', async () => {
    const { body } = await submit({ prompt: '', first: [png()], last: [webp()] });
    expect(body.model).toBe('MiniMax-Hailuo-02');
    expect(body.last_frame_image).toMatch(/^data:image\/webp;base64,/);
  });

  it('makes a subject-reference video from the face upload', async () => {
    const { body } = await submit({ prompt: 'dancing', subject: [jpg()] });
    expect(body.model).toBe('S2V-01');
  });

  it('keeps the options chosen on /video that opened the modal', async () => {
    const { body } = await submit(
      { prompt: 'a boat', first: [png()] },
      'video-modal|MiniMax-Hailuo-02|10|512P|Zoom in|0|1',
    );
    expect(body).toMatchObject({
      model: 'MiniMax-Hailuo-02',
      duration: 10,
      resolution: '512P',
      prompt: 'a boat [Zoom in]',
      prompt_optimizer: false,
      aigc_watermark: true,
    });
  });
});
