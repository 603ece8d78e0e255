import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { noisyJpeg, plainPng } from '../fixtures/make-image.js';
import { create } from './sim-http.js';

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

const dataUrl = (bytes: Buffer, mime = 'image/png') =>
  `data:${mime};base64,${bytes.toString('base64')}`;
const i2v = (image: string) => ({ model: 'MiniMax-Hailuo-2.3', first_frame_image: image });

describe('the simulator checks what MiniMax checks', () => {
  it('refuses an image of exactly 5:2 and accepts one just inside it', async () => {
    sim = await createSimulator();
    const wide = await create(sim, i2v(dataUrl(await plainPng(1000, 400))));
    expect(wide.json.base_resp).toEqual({
      status_code: 2013,
      status_msg: 'invalid params, first_frame_image aspect ratio must be between 2:5 and 5:2',
    });
    const inside = await create(sim, i2v(dataUrl(await plainPng(999, 400))));
    expect(inside.json.base_resp.status_code).toBe(0);
    expect(sim.tasks.size).toBe(1);
  });

  it('refuses a last frame whose shorter side is 300 px', async () => {
    sim = await createSimulator();
    const body = {
      model: 'MiniMax-Hailuo-02',
      first_frame_image: dataUrl(await plainPng(640, 480)),
      last_frame_image: dataUrl(await plainPng(400, 300)),
    };
    const res = await create(sim, body);
    expect(res.json.base_resp.status_msg).toBe(
      'invalid params, last_frame_image shorter side must be greater than 300px',
    );
  });

  it('refuses a GIF labelled as PNG and a subject photo that is not an image', async () => {
    sim = await createSimulator();
    const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
    expect((await create(sim, i2v(dataUrl(gif)))).json.base_resp.status_code).toBe(2013);
    const s2v = {
      model: 'S2V-01',
      prompt: 'a man walking',
      subject_reference: [{ type: 'character', image: [dataUrl(Buffer.from('hello'))] }],
    };
    expect((await create(sim, s2v)).json.base_resp.status_msg).toBe(
      'invalid params, subject_reference image is not a supported image',
    );
  });

  it('refuses an image of 20,000,000 bytes or more (MB read as decimal)', async () => {
    sim = await createSimulator();
    const png = await plainPng(640, 480);
    // Trailing bytes after IEND: still a 640×480 PNG, now exactly 20,000,000 bytes.
    const big = Buffer.concat([png, Buffer.alloc(20_000_000 - png.length)]);
    const res = await create(sim, i2v(dataUrl(big)));
    expect(res.json.base_resp.status_msg).toBe(
      'invalid params, first_frame_image must be smaller than 20MB',
    );
  });

  it('refuses camera commands on a model that ignores them, in the prompt or in Chinese', async () => {
    sim = await createSimulator();
    const pan = await create(sim, { model: 'T2V-01', prompt: 'a cat [Pan left]' });
    expect(pan.json.base_resp).toEqual({
      status_code: 2013,
      status_msg: 'invalid params, T2V-01 does not support camera commands',
    });
    const zh = await create(sim, {
      model: 'I2V-01-live',
      prompt: '猫 [左摇,上升]',
      first_frame_image: dataUrl(await plainPng(640, 480)),
    });
    expect(zh.json.base_resp.status_code).toBe(2013);
    const director = await create(sim, { model: 'T2V-01-Director', prompt: 'a cat [Pan left]' });
    expect(director.json.base_resp.status_code).toBe(0);
    const plain = await create(sim, { model: 'T2V-01', prompt: 'a cat [sic] walking' });
    expect(plain.json.base_resp.status_code).toBe(0);
  });

  it('answers 413 to a body over its limit and makes no task', async () => {
    sim = await createSimulator({ maxBodyBytes: 100_000 });
    const res = await create(sim, { model: 'MiniMax-Hailuo-2.3', prompt: 'x'.repeat(150_000) });
    expect(res.status).toBe(413);
    expect(sim.tasks.size).toBe(0);
  });

  it('takes real time to receive a big create when its upload bandwidth is throttled', async () => {
    sim = await createSimulator({ uploadBytesPerSecond: 4_000_000 });
    const photo = dataUrl(await noisyJpeg(1200, 900, 95), 'image/jpeg');
    const started = Date.now();
    const res = await create(sim, i2v(photo));
    const elapsedMs = Date.now() - started;
    expect(res.json.base_resp.status_code).toBe(0);
    expect(elapsedMs).toBeGreaterThanOrEqual((photo.length / 4_000_000) * 1000 * 0.8);
  });
});
