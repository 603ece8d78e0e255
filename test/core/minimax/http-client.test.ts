import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MinimaxModerationError,
  minimaxTaskFailedError,
} from '../../../src/core/minimax/errors.js';
import type { CreateVideoBody } from '../../../src/core/minimax/types.js';
import { createSimulator, type Simulator } from '../../../src/simulator/index.js';
import { clientFor } from './client-harness.js';

// Real images: the simulator decodes and checks them as MiniMax does.
const dataUrl = (name: string, mime: string) =>
  `data:${mime};base64,${readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)).toString('base64')}`;
const IMG = dataUrl('frame.png', 'image/png');
const LAST = dataUrl('last.webp', 'image/webp');

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

describe('MinimaxHttpClient requests', () => {
  it.each<[string, CreateVideoBody]>([
    [
      'text-to-video',
      {
        model: 'MiniMax-Hailuo-2.3',
        prompt: 'a cat [Pan left]',
        duration: 6,
        resolution: '768P',
        prompt_optimizer: false,
      },
    ],
    [
      'image-to-video',
      { model: 'MiniMax-Hailuo-2.3-Fast', prompt: 'waves', first_frame_image: IMG },
    ],
    [
      'first and last frame',
      {
        model: 'MiniMax-Hailuo-02',
        first_frame_image: IMG,
        last_frame_image: LAST,
        duration: 10,
        resolution: '768P',
      },
    ],
    [
      'subject reference',
      {
        model: 'S2V-01',
        prompt: 'she waves',
        subject_reference: [{ type: 'character', image: [IMG] }],
      },
    ],
  ])('sends the %s body exactly as given, with bearer auth and JSON', async (_mode, body) => {
    sim = await createSimulator();
    const { client } = clientFor(sim);
    const { taskId, traceId } = await client.createTask(body);
    expect(taskId).toMatch(/^\d{15}$/);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const [req] = sim.creates();
    expect(req!.body).toEqual(body);
    expect(req!.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
    expect(req!.headers['content-type']).toBe('application/json');
  });

  it('keeps the subject_reference image as an array on the wire', async () => {
    sim = await createSimulator();
    await clientFor(sim).client.createTask({
      model: 'S2V-01',
      subject_reference: [{ type: 'character', image: [IMG] }],
    });
    expect(sim.creates()[0]!.body).toEqual({
      model: 'S2V-01',
      subject_reference: [{ type: 'character', image: [IMG] }],
    });
  });

  it.each(['/v1', '/v1/', '/'])(
    'does not double /v1 when the base URL ends with %s',
    async (suffix) => {
      sim = await createSimulator();
      const { client } = clientFor(sim, { baseUrl: `${sim.url}${suffix}` });
      await client.createTask({ model: 'T2V-01', prompt: 'x' });
      expect(sim.requests.map((r) => r.path)).toEqual(['/v1/video_generation']);
    },
  );

  it('reports each call to onCall', async () => {
    sim = await createSimulator();
    const { client, calls } = clientFor(sim);
    await client.createTask({ model: 'T2V-01', prompt: 'x' });
    expect(calls).toEqual([
      { endpoint: 'create', ms: expect.any(Number), httpStatus: 200, code: 0, ok: true },
    ]);
  });
});

describe('MinimaxHttpClient task flow', () => {
  it('follows a task to Success, retrieves the file and downloads the sample MP4', async () => {
    sim = await createSimulator({ timelineMs: { preparing: 0, queueing: 0, processing: 0 } });
    const { client } = clientFor(sim);
    const { taskId } = await client.createTask({
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'x',
      resolution: '1080P',
    });
    const task = await client.queryTask(taskId);
    expect(task).toMatchObject({
      taskId,
      status: 'Success',
      rawStatus: 'Success',
      width: 1920,
      height: 1080,
    });
    expect(task.fileId).toMatch(/^\d{15}$/);
    const file = await client.retrieveFile(task.fileId!);
    expect(file.fileId).toBe(task.fileId);
    expect(file.filename).toBe('output.mp4');
    const res = await request(file.downloadUrl);
    expect(Buffer.from(await res.body.arrayBuffer())).toEqual(
      await readFile(new URL('../../../assets/sample.mp4', import.meta.url)),
    );
  });

  it('reports a pending task without a file id or size', async () => {
    sim = await createSimulator({ timelineMs: { preparing: 60_000 } });
    const { client } = clientFor(sim);
    const { taskId } = await client.createTask({ model: 'T2V-01', prompt: 'x' });
    const task = await client.queryTask(taskId);
    expect(task.status).toBe('Preparing');
    expect(task.fileId).toBeUndefined();
    expect(task.width).toBeUndefined();
  });

  it.each(['Fail', 'Failed'] as const)('normalises the %s spelling to Fail', async (spelling) => {
    sim = await createSimulator({ failSpelling: spelling });
    const { client } = clientFor(sim);
    const { taskId } = await client.createTask({ model: 'T2V-01', prompt: 'x [[fail]]' });
    sim.finish(taskId);
    const task = await client.queryTask(taskId);
    expect(task).toMatchObject({ status: 'Fail', rawStatus: spelling });
    expect(task.failureCode).toBeUndefined();
  });

  it('returns an output-moderation failure as a Fail task with code 1027 instead of throwing', async () => {
    sim = await createSimulator();
    const { client } = clientFor(sim);
    const { taskId } = await client.createTask({
      model: 'T2V-01',
      prompt: 'x [[output-moderation]]',
    });
    sim.finish(taskId);
    const task = await client.queryTask(taskId);
    expect(task).toMatchObject({ status: 'Fail', failureCode: 1027 });
    const err = minimaxTaskFailedError(task);
    expect(err).toBeInstanceOf(MinimaxModerationError);
    expect(err.code).toBe('minimax_output_moderation');
  });

  it.each([
    ['failed', 'Fail'],
    ['ERROR', 'Fail'],
    ['success', 'Success'],
    ['queueing', 'Queueing'],
    ['Paused', 'Unknown'],
  ])('reads the status %s as %s', async (raw, expected) => {
    sim = await createSimulator();
    sim.inject({
      route: 'query',
      kind: 'http',
      status: 200,
      body: {
        task_id: '1',
        status: raw,
        file_id: '77',
        base_resp: { status_code: 0, status_msg: 'success' },
      },
    });
    const task = await clientFor(sim).client.queryTask('1');
    expect(task.status).toBe(expected);
    expect(task.rawStatus).toBe(raw);
  });

  it('keeps all 18 digits of a numeric file id in retrieve', async () => {
    sim = await createSimulator();
    const id = '123456789012345678';
    sim.inject({
      route: 'retrieve',
      kind: 'http',
      status: 200,
      body: `{"file":{"file_id": ${id},"bytes":0,"download_url":"https://cdn.example/x.mp4"},"base_resp":{"status_code":0,"status_msg":"success"}}`,
    });
    const file = await clientFor(sim).client.retrieveFile(id);
    expect(file.fileId).toBe(id);
  });

  it('reads an 18-digit numeric file id from the simulator as the same string the query gave', async () => {
    sim = await createSimulator({
      fileIdDigits: 18,
      timelineMs: { preparing: 0, queueing: 0, processing: 0 },
    });
    const { client } = clientFor(sim);
    const task = await client.queryTask(
      (await client.createTask({ model: 'T2V-01', prompt: 'x' })).taskId,
    );
    expect((await client.retrieveFile(task.fileId!)).fileId).toBe(task.fileId);
  });

  it('returns the backup download URL when MiniMax sends one', async () => {
    sim = await createSimulator({
      backupDownloadUrl: true,
      timelineMs: { preparing: 0, queueing: 0, processing: 0 },
    });
    const { client } = clientFor(sim);
    const task = await client.queryTask(
      (await client.createTask({ model: 'T2V-01', prompt: 'x' })).taskId,
    );
    const file = await client.retrieveFile(task.fileId!);
    expect(file.backupDownloadUrl).toMatch(/\/cdn-backup\//);
  });
});
