import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { originOf, useEngineHarness } from './engine-harness.js';

async function headOf(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(12);
    await file.read(buf, 0, 12, 0);
    return buf;
  } finally {
    await file.close();
  }
}

describe('JobEngine flow against the simulator', () => {
  const harness = useEngineHarness();

  it('takes a text-to-video job from queued to done with the MP4 on disk', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'a cat surfing' }, originOf());
    expect(job.state).toBe('queued');

    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(done.videoPath).toMatch(new RegExp(`videos/${job.id}\\.mp4$`));
    expect((await headOf(done.videoPath!)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(h.statesOf(job.id)).toEqual([
      'queued',
      'submitting',
      'generating',
      'downloading',
      'uploading',
      'done',
    ]);
    expect(h.sim.creates()).toHaveLength(1);
    expect((await h.store.get(job.id))?.state).toBe('done');
  });
});
