import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CallbackKind,
  createCallbackRoutes,
  parseCallback,
} from '../../src/server/callback-route.js';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.js';

const logger = pino({ level: 'silent' });
const SECRET = 'Zq3-per-bot-secret-0123456789abcdef';
let server: HttpServer;
let url: string;
let hints: string[];
let authentic: string[];
let kinds: CallbackKind[];
let hintBehaviour: 'ok' | 'throw' | 'reject';

beforeEach(async () => {
  hints = [];
  authentic = [];
  kinds = [];
  hintBehaviour = 'ok';
  const routes = createCallbackRoutes({
    secret: SECRET,
    onAuthentic: (taskId) => authentic.push(taskId),
    logger,
    onTaskHint: (taskId) => {
      hints.push(taskId);
      if (hintBehaviour === 'throw') throw new Error('engine stopped');
      if (hintBehaviour === 'reject') return Promise.reject(new Error('engine stopped'));
      return undefined;
    },
    onCallback: (kind) => kinds.push(kind),
  });
  server = createHttpServer({
    config: { PORT: 0 },
    logger,
    routes,
    readiness: () => true,
    host: '127.0.0.1',
  });
  await server.start();
  url = `${server.url}/minimax/callback`;
});

afterEach(async () => {
  await server.stop();
});

const post = (body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('POST /minimax/callback', () => {
  it('echoes the challenge as JSON', async () => {
    const res = await post(JSON.stringify({ challenge: 'abc123' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
    expect(hints).toEqual([]);
    expect(kinds).toEqual(['challenge']);
  });

  it('asks for an immediate query when a task reports success', async () => {
    const res = await post(JSON.stringify({ task_id: '176843862716480', status: 'success' }));
    expect(res.status).toBe(200);
    expect(hints).toEqual(['176843862716480']);
    expect(kinds).toEqual(['hint']);
  });

  it('accepts a numeric task_id without losing digits past 2^53', async () => {
    await post('{"task_id": 123456789012345678, "status": "Success"}');
    expect(hints).toEqual(['123456789012345678']);
  });

  it('treats upper-case and lower-case failure statuses alike', async () => {
    await post(JSON.stringify({ task_id: '1', status: 'FAILED' }));
    await post(JSON.stringify({ task_id: '2', status: 'Fail' }));
    expect(hints).toEqual(['1', '2']);
  });

  it('does not spend a query on an in-progress update', async () => {
    await post(JSON.stringify({ task_id: '7', status: 'Processing' }));
    await post(JSON.stringify({ task_id: '7', status: 'queueing' }));
    expect(hints).toEqual([]);
    expect(kinds).toEqual(['progress', 'progress']);
  });

  it('answers 200 to malformed bodies and bad task ids without hinting', async () => {
    for (const body of ['not json', '[1,2]', '{"status":"success"}', '{"task_id":"../../x"}']) {
      const res = await post(body);
      expect(res.status).toBe(200);
    }
    expect(hints).toEqual([]);
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
  });

  it('answers 200 even when the hint handler throws or rejects', async () => {
    hintBehaviour = 'throw';
    expect((await post(JSON.stringify({ task_id: '9', status: 'success' }))).status).toBe(200);
    hintBehaviour = 'reject';
    expect((await post(JSON.stringify({ task_id: '9', status: 'success' }))).status).toBe(200);
    expect(hints).toEqual(['9', '9']);
  });

  it('answers 200 to an oversized body without reading it all', async () => {
    const res = await post(JSON.stringify({ task_id: '5', pad: 'x'.repeat(200_000) }));
    expect(res.status).toBe(200);
    expect(hints).toEqual([]);
  });
});

describe('parseCallback', () => {
  it('keeps a numeric challenge as a number so the echo matches exactly', () => {
    expect(parseCallback('{"challenge": 42}')).toEqual({ challenge: 42 });
  });

  it('lower-cases the status and trims the task id', () => {
    expect(parseCallback('{"task_id":" 77 ","status":"Success"}')).toEqual({
      taskId: '77',
      status: 'success',
    });
  });

  it('reads a MiniMax-H3 (V2) callback: the task object, its id kept digit-exact', () => {
    expect(
      parseCallback('{"task":{"id":176843862716514123,"status":"succeeded","model":"MiniMax-H3"}}'),
    ).toEqual({ taskId: '176843862716514123', status: 'succeeded' });
    expect(parseCallback('{"task":{"id":"4240","status":"running"}}')).toEqual({
      taskId: '4240',
      status: 'running',
    });
  });
});

describe('against the MiniMax simulator', () => {
  it('passes the challenge handshake and hints the task when it succeeds', async () => {
    const { createSimulator } = await import('../../src/simulator/index.js');
    const sim = await createSimulator({
      apiKey: 'callback-test-key',
      timelineMs: { preparing: 10, queueing: 10, processing: 60_000 },
    });
    try {
      const res = await fetch(`${sim.url}/v1/video_generation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'MiniMax-Hailuo-2.3', prompt: 'a fox', callback_url: url }),
      });
      const { task_id: taskId } = (await res.json()) as { task_id: string };
      await expect.poll(() => kinds.includes('challenge')).toBe(true);
      await expect.poll(() => kinds.includes('progress')).toBe(true);
      expect(hints).toEqual([]);
      sim.finish(taskId);
      await expect.poll(() => hints).toEqual([taskId]);
    } finally {
      await sim.stop();
    }
  });
});

describe('POST /minimax/callback/<secret>', () => {
  const postTo = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('counts only a callback carrying the secret as authentic, and still hints for the rest', async () => {
    const update = { task_id: '42', status: 'processing' };
    expect((await postTo(`/minimax/callback/${SECRET}`, update)).status).toBe(200);
    expect((await postTo('/minimax/callback/not-the-secret', update)).status).toBe(200);
    expect((await postTo(`/minimax/callback/${SECRET}x`, update)).status).toBe(200);
    expect((await postTo('/minimax/callback', update)).status).toBe(200);
    expect(authentic).toEqual(['42']);
    expect(kinds).toEqual(['progress', 'progress', 'progress', 'progress']);
  });

  it('answers the challenge at the secret URL too', async () => {
    const res = await postTo(`/minimax/callback/${SECRET}`, { challenge: 'c-1' });
    expect(await res.json()).toEqual({ challenge: 'c-1' });
    expect(authentic).toEqual([]);
  });
});
