import { afterEach, describe, expect, it } from 'vitest';
import type { JobEngine } from '../../../src/core/engine/job-engine.js';
import { CALLBACK_PATH, createCallbackRoutes } from '../../../src/server/callback-route.js';
import { callbackSecretOf } from '../../../src/server/callback-secret.js';
import { createHttpServer, type HttpServer } from '../../../src/server/http-server.js';
import { EngineHarness, originOf, silentLogger } from './engine-harness.js';

/**
 * The callback fast path end to end: the simulator posts the challenge and status changes to the
 * bot's real callback route, and the engine finds out the task ended without polling it densely.
 */
describe('JobEngine with MiniMax callbacks', () => {
  let h: EngineHarness | undefined;
  let server: HttpServer | undefined;

  afterEach(async () => {
    await h?.close();
    await server?.stop();
    h = undefined;
    server = undefined;
  });

  const SECRET = callbackSecretOf({ MINIMAX_API_KEY: 'sim-test-key' });
  let received: string[] = [];

  /** `secretInUrl: false` gives MiniMax a URL whose secret is wrong, as a stranger would know it. */
  async function start(env: Record<string, string>, secretInUrl = true) {
    let engine: JobEngine | undefined;
    received = [];
    server = createHttpServer({
      config: { PORT: 0 },
      logger: silentLogger,
      host: '127.0.0.1',
      readiness: () => true,
      routes: createCallbackRoutes({
        logger: silentLogger,
        // The engine's URL carries the secret derived from the key; a wrong one here makes
        // every callback look like a stranger's.
        secret: secretInUrl ? SECRET : 'not-the-engine-secret',
        onTaskHint: (taskId) => engine?.notifyTaskUpdate(taskId),
        onAuthentic: (taskId) => engine?.noteAuthenticCallback(taskId),
        onCallback: (kind) => received.push(kind),
      }),
    });
    await server.start();
    h = await EngineHarness.create({
      env: { ...env, PUBLIC_URL: `http://127.0.0.1:${server.port}` },
      sim: { timelineMs: { preparing: 20, queueing: 20, processing: 1_200 } },
    });
    engine = h.engine;
    await h.engine.start();
    return h;
  }

  it('learns of the finished task from the callback with at most three queries', async () => {
    const h = await start({ POLL_MIN_S: '0.05', POLL_MAX_S: '0.1' });
    const job = await h.engine.submit({ prompt: 'a heron at dawn' }, originOf());
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    const creates = h.sim.creates();
    expect(creates).toHaveLength(1);
    expect((creates[0]!.body as { callback_url?: string }).callback_url).toContain(CALLBACK_PATH);
    // Without the callbacks this 1.3 s task would be queried every 0.1 s (a dozen times).
    expect(h.sim.queries(done.taskId!).length).toBeLessThanOrEqual(3);
  });

  it('keeps polling within POLL_MAX_S while no callback has arrived', async () => {
    const h = await start({ POLL_MIN_S: '0.05', POLL_MAX_S: '0.1' });
    // Nothing reaches the callback route: the engine must not rely on it.
    await server!.stop();
    const job = await h.engine.submit({ prompt: 'a heron at dusk' }, originOf());
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(h.sim.queries(done.taskId!).length).toBeGreaterThan(5);
  });

  it("keeps its normal pace when callbacks arrive without the bot's secret", async () => {
    // Every status change reaches the bot, but at a URL without the secret: as if a stranger
    // posted well-formed callbacks naming our task. They may hint, never prove.
    const h = await start({ POLL_MIN_S: '0.05', POLL_MAX_S: '0.1' }, false);
    const job = await h.engine.submit({ prompt: 'a heron at noon' }, originOf());
    const done = await h.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(received.filter((k) => k === 'progress').length).toBeGreaterThan(0);
    expect(h.sim.queries(done.taskId!).length).toBeGreaterThan(5);
  });
});
