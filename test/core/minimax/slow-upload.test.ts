import { afterEach, describe, expect, it } from 'vitest';
import { MinimaxError } from '../../../src/core/minimax/errors.js';
import { verdictOf } from '../../../src/core/retry-policy.js';
import { createSimulator, type Simulator } from '../../../src/simulator/index.js';
import { plainPng } from '../../fixtures/make-image.js';
import { clientFor, rejectionOf } from './client-harness.js';

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

/** A create whose JSON is about `mb` MB: a valid image plus a long run of padding in the prompt. */
async function bigBody(mb: number) {
  const png = await plainPng(640, 480);
  return {
    model: 'MiniMax-Hailuo-2.3',
    prompt: 'a cat',
    first_frame_image: `data:image/png;base64,${Buffer.concat([png, Buffer.alloc(mb * 750_000)]).toString('base64')}`,
  };
}

describe('a create that uploads slowly', () => {
  it('fails as "not started" when a throttled 25 MB upload cannot finish in time', async () => {
    sim = await createSimulator({ uploadBytesPerSecond: 4_000_000 });
    const body = await bigBody(25);
    expect(JSON.stringify(body).length).toBeGreaterThan(25_000_000);
    // 300 ms + 25 MB at an assumed 25 MB/s ≈ 1.3 s, while the link needs over 6 s.
    const { client } = clientFor(sim, { timeoutMs: 300, minUploadBytesPerSecond: 25_000_000 });
    const err = await rejectionOf(client.createTask(body));
    expect(err).toBeInstanceOf(MinimaxError);
    expect(err).toMatchObject({ code: 'minimax_upload_too_slow', definitelyNotCreated: true });
    expect((err as MinimaxError).userMessage).toContain('no video was started or charged');
    // Not the "unknown whether the video started" path: the engine fails it plainly.
    expect(verdictOf(err, 'create')).toBe('stop');
    expect(sim.tasks.size).toBe(0);
  }, 20_000);

  it('gives a big body time in proportion to its size, so a slow but steady upload succeeds', async () => {
    sim = await createSimulator({ uploadBytesPerSecond: 8_000_000 });
    const body = await bigBody(6);
    // A 300 ms limit alone would cut this ~8 MB upload (about 1 s) off; 4 MB/s planned gives 2.3 s.
    const { client } = clientFor(sim, { timeoutMs: 300, minUploadBytesPerSecond: 4_000_000 });
    const { taskId } = await client.createTask(body);
    expect(sim.tasks.has(taskId)).toBe(true);
  }, 20_000);
});
