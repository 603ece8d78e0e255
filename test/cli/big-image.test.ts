import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { MAX_PREPARED_BYTES } from '../../src/core/image-prep.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { noisyJpeg } from '../fixtures/make-image.js';
import { captureContext } from './capture.js';

let sim: Simulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a camera-sized photo', () => {
  it('is re-encoded before the create, so a 20 MB 6000×4000 photo sends a few MB and the video arrives', async () => {
    // The simulator's own 2013 checks and a tight body limit: the raw photo as base64 (~26 MB)
    // would be refused with 413 before MiniMax could even look at it.
    sim = await createSimulator({
      apiKey: 'test-simulator-key',
      timelineMs: { preparing: 20, queueing: 20, processing: 60 },
      maxBodyBytes: 8_000_000,
    });
    dir = await mkdtemp(join(tmpdir(), 'mvb-big-image-'));
    const photo = await noisyJpeg(6000, 4000);
    expect(photo.length).toBeGreaterThan(18_000_000);
    await writeFile(join(dir, 'camera.jpg'), photo);
    const out = join(dir, 'out.mp4');
    const ctx = captureContext(
      {
        MINIMAX_BASE_URL: sim.url,
        MINIMAX_API_KEY: sim.apiKey,
        DATA_DIR: join(dir, 'data'),
        POLL_MIN_S: '0.05',
        POLL_MAX_S: '0.2',
      },
      dir,
    );
    const code = await runCli(
      ['generate', '--image', join(dir, 'camera.jpg'), '--prompt', 'waves roll in', '--out', out],
      ctx,
    );
    expect(ctx.err()).not.toContain('rror');
    expect(code, ctx.err()).toBe(0);
    const [create] = sim.creates();
    const body = create!.body as { first_frame_image: string };
    expect(JSON.stringify(body).length).toBeLessThan((MAX_PREPARED_BYTES * 4) / 3 + 10_000);
    expect(body.first_frame_image).toMatch(/^data:image\/jpeg;base64,/);
    const sent = Buffer.from(body.first_frame_image.split(',')[1]!, 'base64');
    // 1620×1080 in the JPEG's SOF header: the aspect kept, the long side at most 1920.
    expect(sent.length).toBeLessThanOrEqual(MAX_PREPARED_BYTES);
    expect((await readFile(out)).subarray(4, 8).toString('latin1')).toBe('ftyp');
  }, 60_000);
});
