import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/jobs/job.js';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createMetricsRoute } from '../../src/server/metrics-route.js';
import { createVideoRoute } from '../../src/server/video-route.js';

const logger = pino({ level: 'silent' });
const ID = 'Slow7x2Qm9LpR4sT8v';
const TOKEN = 'metrics-token-0123456789';

/** Resolves with how long the server took to close the socket (ms), or rejects after `maxMs`. */
function closedWithin(socket: Socket, maxMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${maxMs} ms`)), maxMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

/** Issue #12: every route has deadlines, and /metrics can be kept internal. */
describe('HTTP surface', () => {
  let server: HttpServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    server = undefined;
    dataDir = undefined;
  });

  async function start(idleTimeoutMs: number, headersTimeoutMs = 10_000) {
    dataDir = await mkdtemp(join(tmpdir(), 'http-surface-'));
    await mkdir(join(dataDir, 'videos'));
    // Larger than the socket buffers, so a client that stops reading stalls the response.
    await writeFile(join(dataDir, 'videos', `${ID}.mp4`), Buffer.alloc(32 * 1024 * 1024, 7));
    const done = { id: ID, state: 'done', finishedAt: Date.now(), updatedAt: Date.now() } as Job;
    server = createHttpServer({
      config: { PORT: 0 },
      logger,
      host: '127.0.0.1',
      readiness: () => true,
      idleTimeoutMs,
      headersTimeoutMs,
      routes: [
        createVideoRoute({
          config: { DATA_DIR: dataDir, VIDEO_LINK_TTL_H: 1 },
          jobs: { get: async (id) => (id === ID ? done : undefined) },
          clock: { now: () => Date.now(), sleep: async () => {} },
          logger,
        }),
        createMetricsRoute(createMetrics(), TOKEN),
      ],
    });
    await server.start();
    return server;
  }

  it('drops a client that stops reading a video after the idle timeout', async () => {
    const s = await start(300);
    const socket = connect(s.port!, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`GET /videos/${ID}.mp4 HTTP/1.1\r\nhost: x\r\n\r\n`);
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    // A slow loris: takes the first bytes, then reads nothing for longer than the idle timeout.
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const closed = closedWithin(socket, 3_000);
    socket.resume();
    await closed;
    // Cut off: whatever sat in the socket buffers arrived, the rest of the 32 MB never did.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(32 * 1024 * 1024);
  });

  it('drops a client that sends its headers a byte at a time past the header deadline', async () => {
    const s = await start(60_000, 500);
    const socket = connect(s.port!, '127.0.0.1');
    socket.on('error', () => {});
    socket.resume();
    const drip = setInterval(() => socket.write('x'), 100);
    socket.write('GET /metrics HTTP/1.1\r\nx-slow: ');
    try {
      expect(await closedWithin(socket, 4_000)).toBeGreaterThanOrEqual(400);
    } finally {
      clearInterval(drip);
    }
  });

  it('answers /metrics only with the bearer token when METRICS_TOKEN is set', async () => {
    const s = await start(60_000);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    const wrong = { authorization: 'Bearer nope' };
    expect((await fetch(`${s.url}/metrics`, { headers: wrong })).status).toBe(401);
    const right = await fetch(`${s.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('# HELP');
  });
});
