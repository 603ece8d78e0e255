import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { Job, JobState } from '../../src/core/jobs/job.js';
import { createHttpServer, type HttpServer } from '../../src/server/http-server.js';
import {
  createVideoRoute,
  parseRange,
  type VideoLinkOutcome,
} from '../../src/server/video-route.js';

const logger = pino({ level: 'silent' });
const HOUR = 3_600_000;
const ID = 'Jb7x2Qm9LpR4sT8v';
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

let dataDir: string;
let server: HttpServer;
let base: string;
let now: number;
let jobs: Map<string, Job>;
let outcomes: VideoLinkOutcome[];
let lookups: string[];

function job(id: string, state: JobState, finishedAt?: number): Job {
  return {
    id,
    state,
    request: {
      mode: 't2v',
      model: 'MiniMax-Hailuo-2.3',
      prompt: 'a cat',
      promptOptimizer: true,
      watermark: false,
      imageSlots: [],
    },
    origin: { platform: 'discord', userId: 'u', channelId: 'c', ref: {} },
    createdAt: 0,
    updatedAt: finishedAt ?? 0,
    ...(finishedAt === undefined ? {} : { finishedAt }),
    pollCount: 0,
    createAttempts: 0,
  };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'video-route-'));
  await mkdir(join(dataDir, 'videos'));
  await writeFile(join(dataDir, 'videos', `${ID}.mp4`), BYTES);
  now = 10 * HOUR;
  jobs = new Map([[ID, job(ID, 'done', 9 * HOUR)]]);
  outcomes = [];
  lookups = [];
  const clock: Clock = { now: () => now, sleep: async () => {} };
  server = createHttpServer({
    config: { PORT: 0 },
    logger,
    readiness: () => true,
    host: '127.0.0.1',
    routes: [
      createVideoRoute({
        config: { DATA_DIR: dataDir, VIDEO_LINK_TTL_H: 72 },
        jobs: {
          get: async (id) => {
            lookups.push(id);
            return jobs.get(id);
          },
        },
        clock,
        logger,
        onServe: (o) => outcomes.push(o),
      }),
    ],
  });
  await server.start();
  base = `${server.url}/videos`;
});

afterEach(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends the path byte for byte, so `..` segments are not normalised away by a client. */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}`, { path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /videos/<id>.mp4', () => {
  it('serves a finished job as video/mp4 with its full length', async () => {
    const res = await fetch(`${base}/${ID}.mp4`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES)).toBe(true);
    expect(outcomes).toEqual(['served']);
  });

  it('serves a byte range with 206 and Content-Range', async () => {
    const res = await fetch(`${base}/${ID}.mp4`, { headers: { range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES.subarray(100, 200))).toBe(true);
  });

  it('serves a suffix range from the end of the file', async () => {
    const res = await fetch(`${base}/${ID}.mp4`, { headers: { range: 'bytes=-10' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES.subarray(990))).toBe(true);
  });

  it('answers 416 to a range past the end', async () => {
    const res = await fetch(`${base}/${ID}.mp4`, { headers: { range: 'bytes=5000-' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD with the length and no body', async () => {
    const res = await fetch(`${base}/${ID}.mp4`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
  });

  it('serves a job that is still uploading, since its link is being posted', async () => {
    jobs.set(ID, { ...job(ID, 'uploading'), updatedAt: now });
    expect((await fetch(`${base}/${ID}.mp4`)).status).toBe(200);
  });

  it('answers 404 for an unknown id, an unfinished job and a finished job without a file', async () => {
    const other = 'AAAAAAAAAAAAAAAA';
    expect((await fetch(`${base}/${other}.mp4`)).status).toBe(404);
    jobs.set(other, job(other, 'generating'));
    expect((await fetch(`${base}/${other}.mp4`)).status).toBe(404);
    jobs.set(other, job(other, 'done', now));
    expect((await fetch(`${base}/${other}.mp4`)).status).toBe(404);
    expect(outcomes).toEqual(['not_found', 'not_ready', 'not_found']);
  });

  it('answers 410 once VIDEO_LINK_TTL_H has passed since the job finished', async () => {
    now = 9 * HOUR + 72 * HOUR + 1000;
    expect((await fetch(`${base}/${ID}.mp4`)).status).toBe(410);
    expect(outcomes).toEqual(['expired']);
  });

  it('never looks up ids outside the strict pattern, so paths cannot escape DATA_DIR', async () => {
    for (const path of [
      '/videos/../../etc/passwd.mp4',
      '/videos/..%2F..%2Fetc%2Fpasswd.mp4',
      `/videos/${ID}`,
      `/videos/${ID}.mp4/`,
      '/videos/short.mp4',
      `/videos/sub/${ID}.mp4`,
    ]) {
      expect(await rawGet(path)).toBe(404);
    }
    expect(lookups).toEqual([]);
  });
});

describe('parseRange', () => {
  it('reads open, closed and suffix ranges and clamps the end to the size', () => {
    expect(parseRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
  });

  it('ignores malformed and multi-range headers so the whole file is sent', () => {
    expect(parseRange('bytes=0-1,4-5', 10)).toBeUndefined();
    expect(parseRange('items=0-1', 10)).toBeUndefined();
    expect(parseRange('bytes=-', 10)).toBeUndefined();
  });

  it('marks ranges that start past the end or run backwards as unsatisfiable', () => {
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
  });
});
