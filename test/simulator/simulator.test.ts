import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { create, finishedTask, query, retrieve } from './sim-http.js';

const T2V = { model: 'MiniMax-Hailuo-2.3', prompt: 'a cat surfing' };
// A real 512×512 PNG: the simulator decodes images and checks them as MiniMax does.
const IMG = `data:image/png;base64,${readFileSync(new URL('../fixtures/frame.png', import.meta.url)).toString('base64')}`;

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

describe('MiniMax simulator API', () => {
  it('creates a task with a 15-digit string id and a Trace-Id header', async () => {
    sim = await createSimulator();
    const res = await create(sim, T2V);
    expect(res.status).toBe(200);
    expect(res.json.task_id).toMatch(/^\d{15}$/);
    expect(res.json.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
    expect(res.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.creates()).toHaveLength(1);
    expect(sim.creates()[0]!.body).toEqual(T2V);
  });

  it('answers a wrong or missing key with HTTP 200 and base_resp 1004', async () => {
    sim = await createSimulator();
    const wrong = await create(sim, T2V, 'other-key');
    expect(wrong.status).toBe(200);
    expect(wrong.json.base_resp.status_code).toBe(1004);
    const missing = await fetch(`${sim.url}/v1/query/video_generation?task_id=1`);
    expect(
      ((await missing.json()) as { base_resp: { status_code: number } }).base_resp.status_code,
    ).toBe(1004);
    expect(sim.tasks.size).toBe(0);
  });

  it('moves a task through Preparing, Queueing, Processing and Success on its clock', async () => {
    let now = 1_000_000;
    sim = await createSimulator({ now: () => now });
    const { json } = await create(sim, T2V);
    const seen: string[] = [];
    for (const at of [0, 60, 120, 310]) {
      now = 1_000_000 + at;
      const q = await query(sim, json.task_id);
      seen.push(q.json.status);
      if (q.json.status !== 'Success') {
        expect(q.json.file_id).toBe('');
        expect(q.json.video_width).toBe(0);
      }
    }
    expect(seen).toEqual(['Preparing', 'Queueing', 'Processing', 'Success']);
    const done = await query(sim, json.task_id);
    expect(done.json.file_id).toMatch(/^\d{15}$/);
    expect([done.json.video_width, done.json.video_height]).toEqual([1366, 768]);
  });

  it('returns the file id as a bare JSON number with bytes 0 in retrieve', async () => {
    sim = await createSimulator({ fileIdDigits: 18 });
    const done = await finishedTask(sim, T2V);
    const file = await retrieve(sim, done.json.file_id);
    expect(done.json.file_id).toMatch(/^\d{18}$/);
    expect(file.text).toContain(`"file_id":${done.json.file_id},`);
    expect(file.json.file.bytes).toBe(0);
    expect(file.json.file.download_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn\//);
  });

  it('adds a backup download URL when asked', async () => {
    sim = await createSimulator({ backupDownloadUrl: true });
    const done = await finishedTask(sim, T2V);
    const file = await retrieve(sim, done.json.file_id);
    expect(file.json.file.backup_download_url).toMatch(/\/cdn-backup\//);
  });

  it.each([
    ['an unknown model', { model: 'video-99', prompt: 'x' }],
    ['a prompt over 2000 characters', { ...T2V, prompt: 'a'.repeat(2001) }],
    ['1080P with 10 seconds', { ...T2V, resolution: '1080P', duration: 10 }],
    ['Hailuo-2.3-Fast without a first frame', { model: 'MiniMax-Hailuo-2.3-Fast', prompt: 'x' }],
    ['a last frame on Hailuo-2.3', { ...T2V, first_frame_image: IMG, last_frame_image: IMG }],
    ['S2V-01 without subject_reference', { model: 'S2V-01', prompt: 'x' }],
    ['S2V-01 with a first frame', { model: 'S2V-01', first_frame_image: IMG }],
    [
      'S2V-01 with image as a string',
      { model: 'S2V-01', subject_reference: [{ type: 'character', image: IMG }] },
    ],
    ['512P for text-to-video', { model: 'MiniMax-Hailuo-02', prompt: 'x', resolution: '512P' }],
    ['a lower-case resolution', { ...T2V, resolution: '768p' }],
    ['text-to-video without a prompt', { model: 'T2V-01' }],
  ])('rejects %s with base_resp 2013', async (_name, body) => {
    sim = await createSimulator();
    const res = await create(sim, body);
    expect(res.status).toBe(200);
    expect(res.json.base_resp.status_code).toBe(2013);
    expect(res.json.task_id).toBe('');
    expect(sim.tasks.size).toBe(0);
  });

  it.each([
    [
      'first + last frame on Hailuo-02',
      { model: 'MiniMax-Hailuo-02', first_frame_image: IMG, last_frame_image: IMG },
    ],
    [
      'subject reference on S2V-01',
      { model: 'S2V-01', subject_reference: [{ type: 'character', image: [IMG] }] },
    ],
    [
      'duration and resolution on an 01 model',
      { model: 'T2V-01', prompt: 'x', duration: 6, resolution: '1080P' },
    ],
    [
      '512P image-to-video on Hailuo-02',
      { model: 'MiniMax-Hailuo-02', first_frame_image: IMG, resolution: '512P' },
    ],
    ['an image URL on I2V-01', { model: 'I2V-01', first_frame_image: 'https://example.com/a.jpg' }],
  ])('accepts %s', async (_name, body) => {
    sim = await createSimulator();
    const res = await create(sim, body);
    expect(res.json.base_resp.status_code).toBe(0);
    expect(res.json.task_id).toMatch(/^\d{15}$/);
  });

  it('rejects a prompt with the moderation marker with 1026', async () => {
    sim = await createSimulator();
    const res = await create(sim, { ...T2V, prompt: 'x [[moderation]]' });
    expect(res.json.base_resp.status_code).toBe(1026);
  });

  it('fails a task with the fail marker while base_resp stays 0', async () => {
    sim = await createSimulator();
    const q = await finishedTask(sim, { ...T2V, prompt: 'x [[fail]]' });
    expect(q.json.status).toBe('Fail');
    expect(q.json.base_resp.status_code).toBe(0);
    expect(q.json.file_id).toBe('');
  });

  it('spells failure Failed when configured', async () => {
    sim = await createSimulator({ failSpelling: 'Failed' });
    const q = await finishedTask(sim, { ...T2V, prompt: 'x [[fail]]' });
    expect(q.json.status).toBe('Failed');
  });

  it('fails a task with the output-moderation marker with 1027', async () => {
    sim = await createSimulator();
    const q = await finishedTask(sim, { ...T2V, prompt: '[[output-moderation]] x' });
    expect(q.json.status).toBe('Fail');
    expect(q.json.base_resp.status_code).toBe(1027);
    expect(q.json.base_resp.status_msg).toMatch(/output/);
  });

  it('answers 1002 once the creates of the last minute reach the RPM', async () => {
    let now = 0;
    sim = await createSimulator({ rpm: 2, now: () => now });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await create(sim, T2V)).json.base_resp.status_code);
    expect(codes).toEqual([0, 0, 1002]);
    now = 60_001;
    expect((await create(sim, T2V)).json.base_resp.status_code).toBe(0);
  });

  it('answers 404 on a doubled /v1 path', async () => {
    sim = await createSimulator();
    const res = await fetch(`${sim.url}/v1/v1/video_generation`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('trace-id')).toMatch(/^[0-9a-f]{32}$/);
    await res.text();
  });

  it('answers an unknown task id with 2013', async () => {
    sim = await createSimulator();
    const q = await query(sim, '123');
    expect(q.json.base_resp.status_code).toBe(2013);
  });
});
