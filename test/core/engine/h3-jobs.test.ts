import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MinimaxHttpClient } from '../../../src/core/minimax/http-client.js';
import { plainPng } from '../../fixtures/make-image.js';
import { originOf, silentLogger, useEngineHarness } from './engine-harness.js';

const frame = () => readFile(new URL('../../fixtures/frame.png', import.meta.url));
const QUEUED_LONG = { timelineMs: { preparing: 5, queueing: 60_000, processing: 30 } };
const RUNNING_LONG = { timelineMs: { preparing: 5, queueing: 5, processing: 60_000 } };

interface V2Body {
  model: string;
  content: Array<{ type: string; text?: string; role?: string }>;
  resolution: string;
  duration: number;
  ratio?: string;
}

/** Issue #13: MiniMax-H3 jobs through the real engine, V2 client and simulator. */
describe('MiniMax-H3 jobs', () => {
  const harness = useEngineHarness();

  it('makes a 9:16, 12 s text-to-video on the V2 API and saves the MP4 with its sound', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit(
      { prompt: 'rain on a tin roof', model: 'MiniMax-H3', ratio: '9:16', duration: 12 },
      originOf(),
    );
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    const [create] = h.sim.creates();
    expect(create?.path).toBe('/v2/video_generation');
    expect(create?.body).toEqual({
      model: 'MiniMax-H3',
      content: [{ type: 'text', text: 'rain on a tin roof' }],
      resolution: '768P',
      duration: 12,
      ratio: '9:16',
    });
    // No file retrieval on V2: the query answer carries the link.
    expect(h.sim.requests.filter((r) => r.route === 'retrieve')).toHaveLength(0);
    expect(h.sim.queries().every((q) => q.path.startsWith('/v2/query/video_generation/'))).toBe(
      true,
    );
    const mp4 = await readFile(done.videoPath!);
    expect(mp4.includes(Buffer.from('mp4a'))).toBe(true);
    expect(done.billedSeconds).toBe(12);
  });

  it('sends first and last frames with their roles and no ratio', async () => {
    const h = await harness();
    await h.engine.start();
    const bytes = await frame();
    const job = await h.engine.submit(
      {
        prompt: 'she grows up',
        model: 'MiniMax-H3',
        images: { first: { bytes }, last: { bytes } },
      },
      originOf(),
    );
    expect((await h.waitFor(job.id)).state).toBe('done');
    const body = h.sim.creates()[0]?.body as V2Body;
    expect(body.content.map((c) => [c.type, c.role])).toEqual([
      ['text', undefined],
      ['image_url', 'first_frame'],
      ['image_url', 'last_frame'],
    ]);
    expect(body.ratio).toBeUndefined();
  });

  it('cancels a queued task at MiniMax, free of charge', async () => {
    const h = await harness({ sim: QUEUED_LONG });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'slow', model: 'MiniMax-H3' }, originOf('A'));
    const generating = await h.waitFor(job.id, ['generating']);
    expect(await h.engine.cancel(job.id, 'A')).toBe('cancelled');
    const cancelled = await h.engine.get(job.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelCharged: false });
    const deletes = h.sim.requests.filter((r) => r.route === 'cancel');
    expect(deletes.map((r) => [r.method, r.taskId])).toEqual([['DELETE', generating.taskId]]);
    expect(h.sim.cancelledTasks()).toEqual([generating.taskId]);
  });

  it('stops its own work on a running task and says it may still be charged', async () => {
    const h = await harness({ sim: RUNNING_LONG });
    await h.engine.start();
    const job = await h.engine.submit({ prompt: 'long', model: 'MiniMax-H3' }, originOf('A'));
    const generating = await h.waitFor(job.id, ['generating']);
    await new Promise((r) => setTimeout(r, 60));
    expect(await h.engine.cancel(job.id, 'A')).toBe('cancelled');
    expect(await h.engine.get(job.id)).toMatchObject({ state: 'cancelled', cancelCharged: true });
    expect(h.sim.cancelledTasks()).toEqual([]);
    // A query already on the wire when the cancel came may still land; none after it.
    await new Promise((r) => setTimeout(r, 50));
    const queries = h.sim.queries(generating.taskId).length;
    await new Promise((r) => setTimeout(r, 200));
    expect(h.sim.queries(generating.taskId)).toHaveLength(queries);
  });

  it('adopts the one listed task when the create answer was lost', async () => {
    const h = await harness();
    await h.engine.start();
    h.sim.inject({ route: 'create', kind: 'drop', afterCreate: true });
    const job = await h.engine.submit({ prompt: 'lost answer', model: 'MiniMax-H3' }, originOf());
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(h.sim.creates()).toHaveLength(1);
    expect(done.taskId).toBe([...h.sim.tasks.keys()][0]);
    expect(h.sim.requests.some((r) => r.route === 'list')).toBe(true);
  });

  it('fails as unknown, creating nothing more, when two listed tasks could be ours', async () => {
    const h = await harness();
    await h.engine.start();
    // Someone else's identical-looking task, made just before ours.
    const other = new MinimaxHttpClient({
      baseUrl: h.sim.url,
      apiKey: h.sim.apiKey,
      timeoutMs: 2_000,
      logger: silentLogger,
    });
    await other.createTask({
      model: 'MiniMax-H3',
      content: [{ type: 'text', text: 'another one' }],
      resolution: '768P',
      duration: 6,
      ratio: '16:9',
    });
    h.sim.inject({ route: 'create', kind: 'drop', afterCreate: true });
    const job = await h.engine.submit({ prompt: 'lost answer', model: 'MiniMax-H3' }, originOf());
    const failed = await h.waitFor(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toMatch(/unknown/);
    expect(h.sim.creates()).toHaveLength(2);
  });

  it('re-renders a finished 768P video at 2K as a second video', async () => {
    const h = await harness();
    await h.engine.start();
    const first = await h.engine.submit(
      { prompt: 'a lighthouse', model: 'MiniMax-H3' },
      originOf('A'),
    );
    const source = await h.waitFor(first.id);
    const upscaled = await h.engine.resubmit(first.id, originOf('A'), { upscale: true });
    const done = await h.waitFor(upscaled.id);
    expect(done).toMatchObject({ state: 'done', request: { resolution: '2K' } });
    const regen = h.sim.requests.find((r) => r.route === 'regenerate');
    const body = regen?.body as V2Body & { content: Array<{ video_url?: { url: string } }> };
    expect(body.resolution).toBe('2K');
    expect(body.content[1]).toMatchObject({ type: 'video_url', role: 'base_video' });
    expect(body.content[1]?.video_url?.url).toContain(`/cdn/v2/${source.taskId}/`);
    // A 2K video cannot be upscaled again.
    await expect(h.engine.resubmit(upscaled.id, originOf('A'), { upscale: true })).rejects.toThrow(
      /768P MiniMax-H3/,
    );
  });

  it('sends the enhanced prompt and keeps it on the job', async () => {
    const h = await harness();
    await h.engine.start();
    const job = await h.engine.submit(
      { prompt: 'a fox', model: 'MiniMax-H3', enhance: true },
      originOf(),
    );
    const done = await h.waitFor(job.id);
    expect(done.enhancedPrompt).toMatch(/^a fox\. Cinematic/);
    const body = h.sim.creates()[0]?.body as V2Body;
    expect(body.content[0]?.text).toBe(done.enhancedPrompt);
    expect(h.sim.requests.filter((r) => r.route === 'enhance')).toHaveLength(1);
  });

  it('takes images by the V2 limits: sides from 256 px and exactly 2:5, where Hailuo refuses', async () => {
    const h = await harness();
    await h.engine.start();
    const small = { first: { bytes: await plainPng(280, 280) } };
    const tall = { first: { bytes: await plainPng(400, 1000) } };
    await expect(h.engine.submit({ prompt: 'x', images: small }, originOf())).rejects.toThrow(
      /more than 300 px/,
    );
    await expect(h.engine.submit({ prompt: 'x', images: tall }, originOf())).rejects.toThrow(
      /strictly between 2:5 and 5:2/,
    );
    const ok = await Promise.all([
      h.engine.submit({ prompt: 'a', model: 'MiniMax-H3', images: small }, originOf()),
      h.engine.submit({ prompt: 'b', model: 'MiniMax-H3', images: tall }, originOf()),
    ]);
    for (const job of ok) expect((await h.waitFor(job.id)).state).toBe('done');
    await expect(
      h.engine.submit(
        {
          prompt: 'c',
          model: 'MiniMax-H3',
          images: { first: { bytes: await plainPng(250, 600) } },
        },
        originOf(),
      ),
    ).rejects.toThrow(
      'The first-frame image is 250×600 px; MiniMax-H3 needs both sides to be at least 256 px.',
    );
  });

  it('refuses each rule of the check-before-paying table in one sentence, creating nothing', async () => {
    const h = await harness();
    await h.engine.start();
    const bytes = await frame();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ duration: 3 }, /4 to 15 whole seconds/],
      [{ duration: '6.5' }, /4 to 15 whole seconds/],
      [{ model: 'MiniMax-H3-Max', duration: 4 }, /5 to 15 whole seconds/],
      [{ resolution: '1080P' }, /768P or 2K/],
      [{ model: 'MiniMax-H3-Max', resolution: '2K' }, /480P or 768P/],
      [{ ratio: 'adaptive' }, /fixed aspect ratio/],
      [{ ratio: '5:4' }, /not an aspect ratio/],
      [{ prompt: '' }, /needs text/],
      [{ prompt: 'x'.repeat(7_001) }, /7000-character limit/],
      [{ prompt: 'a move [Pan left]' }, /steer Hailuo models only/],
      [{ images: { first: { bytes }, subject: { bytes } } }, /cannot be combined/],
    ];
    for (const [change, message] of cases) {
      const raw = { prompt: 'a valid prompt', model: 'MiniMax-H3', ...change };
      await expect(
        h.engine.submit(raw, originOf()),
        JSON.stringify(change).slice(0, 60),
      ).rejects.toThrow(message);
    }
    expect(h.sim.creates()).toHaveLength(0);
  });
});
