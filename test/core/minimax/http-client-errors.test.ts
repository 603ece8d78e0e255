import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MINIMAX_ERROR_CODES,
  MinimaxAuthError,
  MinimaxBalanceError,
  MinimaxConnectionError,
  type MinimaxError,
  MinimaxInvalidParamsError,
  MinimaxMalformedResponseError,
  MinimaxModerationError,
  MinimaxQuotaError,
  MinimaxRateLimitedError,
  MinimaxServerError,
  MinimaxTimeoutError,
} from '../../../src/core/minimax/errors.js';
import { renderMessage } from '../../../src/messages/index.js';
import { createSimulator, type Simulator } from '../../../src/simulator/index.js';
import { clientFor, rejectionOf } from './client-harness.js';

const BODY = { model: 'MiniMax-Hailuo-2.3', prompt: 'a cat surfing' };

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

/** What SPEC §1.2 and the brief say each code must become; independent of the table itself. */
const EXPECTED: Record<number, [new (...a: never[]) => MinimaxError, boolean]> = {
  1000: [MinimaxServerError, false],
  1001: [MinimaxServerError, false],
  1002: [MinimaxRateLimitedError, true],
  1004: [MinimaxAuthError, true],
  1008: [MinimaxBalanceError, true],
  1024: [MinimaxServerError, false],
  1026: [MinimaxModerationError, true],
  1027: [MinimaxModerationError, true],
  1028: [MinimaxQuotaError, true],
  1030: [MinimaxQuotaError, true],
  1033: [MinimaxServerError, false],
  1039: [MinimaxRateLimitedError, true],
  1041: [MinimaxRateLimitedError, true],
  1042: [MinimaxInvalidParamsError, true],
  2013: [MinimaxInvalidParamsError, true],
  2038: [MinimaxQuotaError, true],
  2045: [MinimaxRateLimitedError, true],
  2049: [MinimaxAuthError, true],
  2056: [MinimaxQuotaError, true],
  2061: [MinimaxQuotaError, true],
};

describe('MinimaxHttpClient error mapping', () => {
  it('covers exactly the codes of the table', () => {
    expect(Object.keys(MINIMAX_ERROR_CODES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(MINIMAX_ERROR_CODES).map(Number))(
    'maps base_resp %i on create to its error',
    async (code) => {
      sim = await createSimulator();
      sim.inject({ route: 'create', kind: 'base_resp', code, msg: 'detail from minimax' });
      const err = (await rejectionOf(clientFor(sim).client.createTask(BODY))) as MinimaxError;
      const [cls, notCreated] = EXPECTED[code]!;
      expect(err).toBeInstanceOf(cls);
      expect(err.statusCode).toBe(code);
      expect(err.httpStatus).toBe(200);
      expect(err.endpoint).toBe('create');
      expect(err.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(err.definitelyNotCreated).toBe(notCreated);
      expect(err.retryable).toBe(cls === MinimaxRateLimitedError || cls === MinimaxServerError);
      expect(err.userMessage).toMatch(/^[A-Z].*\.$/);
      expect(err.message).toContain('detail from minimax');
    },
  );

  it('gives every code its own plain sentence except the shared key and quota ones', () => {
    const messages = Object.keys(MINIMAX_ERROR_CODES).map((c) =>
      renderMessage({ key: `minimax_${c}`, params: { msg: 'x' } }, 'en'),
    );
    expect(new Set(messages).size).toBeGreaterThanOrEqual(messages.length - 3);
  });

  it('tells input moderation and output moderation apart', () => {
    expect(renderMessage({ key: 'minimax_1026' }, 'en')).toMatch(/prompt or image/);
    expect(renderMessage({ key: 'minimax_1027' }, 'en')).toMatch(/generated video/);
  });

  it('quotes the status message of an invalid-parameters answer', async () => {
    sim = await createSimulator();
    const err = (await rejectionOf(
      clientFor(sim).client.createTask({ ...BODY, resolution: '1080P', duration: 10 }),
    )) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxInvalidParamsError);
    expect(err.userMessage).toMatch(
      /^MiniMax refused the request: invalid parameters: .*1080P.*\.$/,
    );
  });

  it('names the region in the message for a rejected key', async () => {
    sim = await createSimulator();
    const err = (await rejectionOf(
      clientFor(sim, { apiKey: 'wrong-key-123' }).client.queryTask('1'),
    )) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxAuthError);
    expect(err.userMessage).toContain('api.minimaxi.com');
  });

  it('throws the mapped error when a query answers with a non-zero base_resp', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'query', kind: 'base_resp', code: 1002 });
    const err = await rejectionOf(clientFor(sim).client.queryTask('1'));
    expect(err).toBeInstanceOf(MinimaxRateLimitedError);
  });

  it.each([
    [500, MinimaxServerError, false],
    [502, MinimaxServerError, false],
    [429, MinimaxRateLimitedError, true],
    [401, MinimaxAuthError, true],
    [403, MinimaxAuthError, true],
    [400, MinimaxInvalidParamsError, true],
    [404, MinimaxInvalidParamsError, true],
    [408, MinimaxTimeoutError, false],
  ] as const)('maps HTTP %i to its error', async (status, cls, notCreated) => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'http', status });
    const err = (await rejectionOf(clientFor(sim).client.createTask(BODY))) as MinimaxError;
    expect(err).toBeInstanceOf(cls);
    expect(err.httpStatus).toBe(status);
    expect(err.definitelyNotCreated).toBe(notCreated);
  });

  it('points at MINIMAX_BASE_URL when MiniMax answers 404', async () => {
    sim = await createSimulator();
    const err = (await rejectionOf(
      clientFor(sim, { baseUrl: `${sim.url}/wrong` }).client.createTask(BODY),
    )) as MinimaxError;
    expect(err.httpStatus).toBe(404);
    expect(err.userMessage).toContain('MINIMAX_BASE_URL');
  });

  it('treats a non-JSON 200 answer as malformed and possibly created', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'non_json' });
    const err = (await rejectionOf(clientFor(sim).client.createTask(BODY))) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxMalformedResponseError);
    expect(err.definitelyNotCreated).toBe(false);
    expect(err.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('treats a success answer without task_id as malformed', async () => {
    sim = await createSimulator();
    sim.inject({
      route: 'create',
      kind: 'http',
      status: 200,
      body: { task_id: '', base_resp: { status_code: 0, status_msg: 'success' } },
    });
    const err = await rejectionOf(clientFor(sim).client.createTask(BODY));
    expect(err).toBeInstanceOf(MinimaxMalformedResponseError);
  });

  it('treats JSON without base_resp as malformed', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'query', kind: 'http', status: 200, body: { status: 'Success' } });
    expect(await rejectionOf(clientFor(sim).client.queryTask('1'))).toBeInstanceOf(
      MinimaxMalformedResponseError,
    );
  });

  it('times out a slow create without claiming that no task was made', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'delay', ms: 1_000 });
    const { client, calls } = clientFor(sim, { timeoutMs: 100 });
    const err = (await rejectionOf(client.createTask(BODY))) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxTimeoutError);
    expect(err.definitelyNotCreated).toBe(false);
    expect(err.retryable).toBe(true);
    expect(calls[0]).toMatchObject({ endpoint: 'create', ok: false });
  });

  it('reports a dropped connection after the create was sent as possibly created', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'create', kind: 'drop', afterCreate: true });
    const err = (await rejectionOf(clientFor(sim).client.createTask(BODY))) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxConnectionError);
    expect(err.definitelyNotCreated).toBe(false);
    expect(sim.tasks.size).toBe(1);
  });

  it('reports a refused connection as definitely not created', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    sim = await createSimulator();
    const err = (await rejectionOf(
      clientFor(sim, { baseUrl: `http://127.0.0.1:${port}` }).client.createTask(BODY),
    )) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxConnectionError);
    expect(err.definitelyNotCreated).toBe(true);
  });

  it('rejects with the caller abort reason, not a MiniMax error', async () => {
    sim = await createSimulator();
    sim.inject({ route: 'query', kind: 'delay', ms: 1_000 });
    const reason = new Error('shutting down');
    const promise = clientFor(sim).client.queryTask('1', AbortSignal.abort(reason));
    expect(await rejectionOf(promise)).toBe(reason);
  });

  it('answers creates above the configured RPM with a rate-limit error that is safe to retry', async () => {
    sim = await createSimulator({ rpm: 2 });
    const { client } = clientFor(sim);
    await client.createTask(BODY);
    await client.createTask(BODY);
    const err = (await rejectionOf(client.createTask(BODY))) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxRateLimitedError);
    expect(err.statusCode).toBe(1002);
    expect(err.definitelyNotCreated).toBe(true);
    expect(sim.tasks.size).toBe(2);
  });

  it('maps the input moderation marker to a moderation error', async () => {
    sim = await createSimulator();
    const err = (await rejectionOf(
      clientFor(sim).client.createTask({ ...BODY, prompt: '[[moderation]]' }),
    )) as MinimaxError;
    expect(err).toBeInstanceOf(MinimaxModerationError);
    expect(err.code).toBe('minimax_input_moderation');
  });
});

describe('MinimaxHttpClient logging', () => {
  it('never logs the API key or a download URL', async () => {
    const apiKey = 'sk-very-secret-key-0123456789';
    sim = await createSimulator({
      apiKey,
      timelineMs: { preparing: 0, queueing: 0, processing: 0 },
      backupDownloadUrl: true,
    });
    const { client, lines } = clientFor(sim);
    const task = await client.queryTask((await client.createTask(BODY)).taskId);
    const file = await client.retrieveFile(task.fileId!);
    sim.inject({
      route: 'retrieve',
      kind: 'http',
      status: 200,
      body: `{"file":{"download_url":"${file.downloadUrl}"}}`,
    });
    const errors = [await rejectionOf(client.retrieveFile(task.fileId!))];
    sim.inject({ route: 'create', kind: 'http', status: 502 });
    errors.push(await rejectionOf(client.createTask(BODY)));
    const all = lines.join('\n') + errors.map((e) => (e as Error).message).join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(all).toContain('minimax call');
    expect(all).not.toContain(apiKey);
    expect(all).not.toContain('Signature=');
    expect(all).not.toContain('/inference_output/');
  });

  it('logs the Trace-Id of each call at debug level', async () => {
    sim = await createSimulator();
    const { client, lines } = clientFor(sim);
    const { traceId } = await client.createTask(BODY);
    const entry = JSON.parse(lines.find((l) => l.includes('minimax call'))!);
    expect(entry).toMatchObject({
      level: 20,
      traceId,
      endpoint: 'create',
      httpStatus: 200,
      code: 0,
    });
  });
});
