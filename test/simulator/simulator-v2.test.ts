import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

const IMG = `data:image/png;base64,${readFileSync(new URL('../fixtures/frame.png', import.meta.url)).toString('base64')}`;
const T2V = {
  model: 'MiniMax-H3',
  content: [{ type: 'text', text: 'a boy shoots hoops on a beach at dusk' }],
  resolution: '768P',
  duration: 5,
  ratio: '16:9',
};

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON answers field by field.
type Json = Record<string, any>;

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  key = sim.apiKey,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Issue #13: the simulator speaks MiniMax's V2 video API as research/minimax-h3.md describes it. */
describe('MiniMax simulator, V2 API (MiniMax-H3)', () => {
  it('creates, then answers queries with lower-case statuses and a link on success', async () => {
    let now = 5_000_000;
    sim = await createSimulator({
      now: () => now,
      timelineMs: { preparing: 10, queueing: 10, processing: 50 },
    });
    const created = await call('POST', '/v2/video_generation', T2V);
    expect(created).toMatchObject({
      status: 200,
      json: { task_id: expect.stringMatching(/^\d+$/) },
    });
    expect(created.json.base_resp).toBeUndefined();
    const id = created.json.task_id as string;
    const seen: string[] = [];
    for (const at of [0, 15, 25, 80]) {
      now = 5_000_000 + at;
      seen.push((await call('GET', `/v2/query/video_generation/${id}`)).json.task.status);
    }
    expect(seen).toEqual(['queued', 'queued', 'running', 'succeeded']);
    const { json } = await call('GET', `/v2/query/video_generation/${id}`);
    expect(json.task).toMatchObject({
      id,
      model: 'MiniMax-H3',
      resolution: '768P',
      duration: 5,
      ratio: '16:9',
    });
    expect(json.task.usage.total_seconds).toBe(5);
    const video = await fetch(json.task.content.url);
    expect(video.status).toBe(200);
    const bytes = Buffer.from(await video.arrayBuffer());
    // The H3 sample carries an AAC audio track.
    expect(bytes.includes(Buffer.from('mp4a'))).toBe(true);
  });

  it('lets result links expire', async () => {
    let now = 1_000_000;
    sim = await createSimulator({
      now: () => now,
      downloadUrlTtlMs: 1_000,
      timelineMs: { preparing: 0, queueing: 0, processing: 0 },
    });
    const { json } = await call('POST', '/v2/video_generation', T2V);
    now += 1;
    const url = (await call('GET', `/v2/query/video_generation/${json.task_id}`)).json.task.content
      .url;
    now += 5_000;
    expect((await fetch(url)).status).toBe(403);
  });

  it('answers errors with a real HTTP status and an error object, never base_resp', async () => {
    sim = await createSimulator();
    const cases: Array<[unknown, string]> = [
      [{ ...T2V, duration: 16 }, 'duration'],
      [{ ...T2V, duration: '5' }, 'integer'],
      [{ ...T2V, resolution: '768p' }, 'resolution'],
      [{ ...T2V, ratio: 'adaptive' }, 'concrete'],
      [{ ...T2V, model: 'MiniMax-H3-Max', resolution: '2K' }, 'resolution'],
      [{ ...T2V, content: [] }, 'exactly one text'],
      [{ ...T2V, content: [{ type: 'text', text: 'x'.repeat(7_001) }] }, '7000'],
      [
        {
          ...T2V,
          content: [
            T2V.content[0],
            { type: 'image_url', image_url: { url: IMG }, role: 'first_frame' },
            { type: 'image_url', image_url: { url: IMG }, role: 'reference_image' },
          ],
        },
        'cannot be combined',
      ],
      [
        {
          ...T2V,
          content: [
            T2V.content[0],
            { type: 'audio_url', audio_url: { url: 'https://x/a.mp3' }, role: 'reference_audio' },
          ],
        },
        'reference audio needs',
      ],
    ];
    for (const [body, detail] of cases) {
      const res = await call('POST', '/v2/video_generation', body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        type: 'error',
        error: { type: 'bad_request_error', http_code: '400' },
      });
      expect(res.json.error.message).toContain(detail);
      expect(res.json.error.message).toMatch(/\(2013\)$/);
      expect(res.json.base_resp).toBeUndefined();
    }
    expect((await call('POST', '/v2/video_generation', T2V, 'wrong')).status).toBe(401);
    const flagged = await call('POST', '/v2/video_generation', {
      ...T2V,
      content: [{ type: 'text', text: 'bad [[moderation]]' }],
    });
    expect(flagged).toMatchObject({
      status: 422,
      json: { error: { type: 'unprocessable_entity_error' } },
    });
    expect(sim.tasks.size).toBe(0);
  });

  it('shares the account RPM window with V1 and answers 429 above it', async () => {
    sim = await createSimulator({ rpm: 1 });
    expect((await call('POST', '/v2/video_generation', T2V)).status).toBe(200);
    const limited = await call('POST', '/v2/video_generation', T2V);
    expect(limited).toMatchObject({ status: 429, json: { error: { type: 'rate_limit_error' } } });
  });

  it('cancels only while queued, deletes finished tasks, refuses running ones', async () => {
    let now = 1_000;
    sim = await createSimulator({
      now: () => now,
      timelineMs: { preparing: 10, queueing: 10, processing: 50 },
    });
    const queued = (await call('POST', '/v2/video_generation', T2V)).json.task_id;
    expect((await call('DELETE', `/v2/video_generation/${queued}`)).json.status).toBe('cancelled');
    expect((await call('GET', `/v2/query/video_generation/${queued}`)).json.task.status).toBe(
      'cancelled',
    );
    const running = (await call('POST', '/v2/video_generation', T2V)).json.task_id;
    now += 30;
    expect((await call('DELETE', `/v2/video_generation/${running}`)).status).toBe(400);
    now += 100;
    expect((await call('DELETE', `/v2/video_generation/${running}`)).json.status).toBe('deleted');
    expect((await call('GET', `/v2/query/video_generation/${running}`)).status).toBe(400);
    expect(sim.cancelledTasks()).toEqual([queued]);
  });

  it('lists recent tasks newest first, filtered by model', async () => {
    sim = await createSimulator();
    const a = (await call('POST', '/v2/video_generation', T2V)).json.task_id;
    const b = (await call('POST', '/v2/video_generation', { ...T2V, model: 'MiniMax-H3-Max' })).json
      .task_id;
    const all = await call('GET', '/v2/query/video_generation?page_num=1&page_size=10');
    expect(all.json.tasks.map((t: { id: string }) => t.id).sort()).toEqual([a, b].sort());
    const max = await call('GET', '/v2/query/video_generation?filter.model=MiniMax-H3-Max');
    expect(max.json.tasks.map((t: { id: string }) => t.id)).toEqual([b]);
  });

  it('re-renders at 2K from a base video and enhances prompts', async () => {
    sim = await createSimulator();
    const regen = await call('POST', '/v2/video_regeneration', {
      model: 'MiniMax-H3',
      content: [
        { type: 'text', text: 'same' },
        { type: 'video_url', video_url: { url: 'https://cdn.example/a.mp4' }, role: 'base_video' },
      ],
      resolution: '2K',
      duration: 5,
    });
    expect(regen.status).toBe(200);
    const task = (await call('GET', `/v2/query/video_generation/${regen.json.task_id}`)).json.task;
    expect(task).toMatchObject({ task_type: 'regeneration', resolution: '2K' });
    const enhanced = await call('POST', '/v2/h3_context_ir', {
      model: 'MiniMax-H3',
      content: [{ type: 'text', text: 'a fox' }],
    });
    expect(enhanced.json.task.content.prompt).toMatch(/^a fox\./);
  });

  it('posts V2 bodies to the callback URL after the challenge', async () => {
    const bodies: Json[] = [];
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const body = JSON.parse(text);
        bodies.push(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body.challenge ? { challenge: body.challenge } : {}));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    sim = await createSimulator({ timelineMs: { preparing: 20, queueing: 20, processing: 40 } });
    await call('POST', '/v2/video_generation', {
      ...T2V,
      callback_url: `http://127.0.0.1:${port}/cb`,
    });
    for (let i = 0; i < 300 && !bodies.some((b) => b.task?.status === 'succeeded'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    receiver.close();
    const statuses = bodies.filter((b) => b.task).map((b) => b.task.status);
    expect(bodies[0]?.challenge).toBeTypeOf('string');
    expect(statuses.at(-1)).toBe('succeeded');
    expect(bodies.at(-1)?.task.content.url).toMatch(/\/cdn\/v2\//);
  });
});
