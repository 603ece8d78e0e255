import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import type { JobEngine } from '../../src/core/engine/job-engine.js';
import { isTerminal, type JobOrigin } from '../../src/core/jobs/job.js';
import type { JobStore } from '../../src/core/jobs/job-store.js';
import { type App, createApp } from '../../src/main.js';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/sim-types.js';
import { silentLogger } from '../core/engine/engine-harness.js';

const DAYS = 30;
const PER_DAY = 50;
const DAY_MS = 86_400_000;
/** Bot time runs this much faster than real time, so rate-gate and poll waits cost little. */
const SCALE = 200;

interface Sample {
  day: number;
  videoFiles: number;
  videoBytes: number;
  partFiles: number;
  storeKeys: number;
  imageKeys: number;
  /** Jobs whose input photos are kept under DATA_DIR/images. */
  keptImageJobs: number;
  rssMb: number;
  heapMb: number;
}

/**
 * Issue #12, "months unattended": 30 simulated days of a team making 50 videos a day (some from
 * photos, some failing at MiniMax or in moderation, downloads killed by crashes, a restart every
 * ten days) against the real engine, SQLite store and simulator. The bot's clock jumps a day at
 * a time; what must level off is the video directory, the kept images and the process memory.
 */
describe('30 unattended days', () => {
  let sim: Simulator;
  let dataDir: string;
  let storeDir: string;
  let frame: Buffer;
  let offsetMs = 0;
  const started = Date.now();
  const clock: Clock = {
    now: () => started + offsetMs + (Date.now() - started) * SCALE,
    sleep: (ms, signal) => systemClock.sleep(ms / SCALE, signal),
  };

  beforeAll(async () => {
    sim = await createSimulator({
      apiKey: 'sim-soak-key',
      timelineMs: { preparing: 2, queueing: 2, processing: 10 },
    });
    dataDir = await mkdtemp(join(tmpdir(), 'soak-data-'));
    // The store on a RAM disk when there is one: the same SQLite, without an fsync per write,
    // which on a shared CI disk would cost more than the whole simulated month.
    storeDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'soak-store-'));
    frame = await readFile(new URL('../fixtures/frame.png', import.meta.url));
  });
  afterAll(async () => {
    await sim.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(storeDir, { recursive: true, force: true });
  });

  const config = () =>
    loadConfig({
      MINIMAX_API_KEY: sim.apiKey,
      MINIMAX_BASE_URL: sim.url,
      MINIMAX_RPM: '1000',
      MAX_ACTIVE_JOBS: '50',
      POLL_MIN_S: '0.5',
      POLL_MAX_S: '2',
      JOB_TIMEOUT_S: '86400',
      DATA_DIR: dataDir,
      STORE_URL: `sqlite://${storeDir}/bot.sqlite`,
      // A week of finished records, so the month shows the store levelling off (default 90 d).
      JOB_RETENTION_D: '7',
      VIDEO_LINK_TTL_H: '72',
    });

  /** The bot as `serve` builds it (createApp), minus chat adapters and the HTTP server. */
  async function boot(): Promise<{ app: App; engine: JobEngine; store: JobStore }> {
    const app = await createApp(config(), {
      clock,
      logger: silentLogger,
      adapters: false,
      httpServer: false,
      engine: { random: () => 0.5 },
      deliverers: { cli: { deliver: async () => ({ ref: {} }) } },
    });
    await app.start();
    return { app, engine: app.service, store: app.store };
  }

  /** One day's requests: 10 from a photo, 4 that fail at MiniMax, 2 refused by moderation. */
  function request(i: number) {
    if (i < 10) return { prompt: `photo ${i}`, images: { first: { bytes: frame } } };
    if (i < 14) return { prompt: `storm ${i} [[fail]]` };
    if (i < 16) return { prompt: `blocked ${i} [[moderation]]` };
    return { prompt: `a team video ${i}` };
  }

  async function sample(day: number, store: JobStore): Promise<Sample> {
    const dir = join(dataDir, 'videos');
    const names = await readdir(dir).catch(() => [] as string[]);
    let videoBytes = 0;
    for (const n of names) videoBytes += (await stat(join(dir, n)).catch(() => ({ size: 0 }))).size;
    const storeKeys = await store.size();
    const db = new Database(join(storeDir, 'bot.sqlite'), { readonly: true });
    const imageKeys = (db.prepare('SELECT COUNT(*) AS n FROM job_images').get() as { n: number }).n;
    db.close();
    const mem = process.memoryUsage();
    return {
      day,
      videoFiles: names.filter((n) => n.endsWith('.mp4')).length,
      videoBytes,
      partFiles: names.filter((n) => n.endsWith('.part')).length,
      storeKeys,
      imageKeys,
      keptImageJobs: (await readdir(join(dataDir, 'images')).catch(() => [])).length,
      rssMb: Math.round(mem.rss / 1_048_576),
      heapMb: Math.round(mem.heapUsed / 1_048_576),
    };
  }

  it('keeps DATA_DIR, kept images and memory level over a month', async () => {
    const origin: JobOrigin = { platform: 'cli', userId: 'team', channelId: 'c1', ref: {} };
    let { app, engine, store } = await boot();
    const samples: Sample[] = [];
    let failed = 0;
    for (let day = 1; day <= DAYS; day++) {
      offsetMs = (day - 1) * DAY_MS;
      const settled = await Promise.allSettled(
        Array.from({ length: PER_DAY }, (_, i) => engine.submit(request(i), origin)),
      );
      const ids = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.id] : []));
      failed += PER_DAY - ids.length;
      for (const id of ids) {
        for (let tries = 0; ; tries++) {
          const job = await engine.get(id);
          if (job && isTerminal(job.state)) break;
          if (tries > 2_000) throw new Error(`job ${id} never finished (${job?.state})`);
          await systemClock.sleep(5);
        }
      }
      // Two downloads a day killed mid-transfer by a crash leave their temp files behind.
      for (const n of [1, 2]) {
        const part = join(dataDir, 'videos', `.killed-${day}-${n}.mp4.part`);
        await writeFile(part, Buffer.alloc(64 * 1024));
        const t = clock.now() / 1000;
        await utimes(part, t, t);
      }
      offsetMs += DAY_MS / 2; // the sweep runs in the night
      await engine.sweep();
      if (day % 10 === 0 && day < DAYS) {
        await app.stop();
        ({ app, engine, store } = await boot());
      }
      samples.push(await sample(day, store));
    }
    await app.stop();

    const peak = (key: keyof Sample, from = 1, to = DAYS) =>
      Math.max(...samples.filter((s) => s.day >= from && s.day <= to).map((s) => s[key]));
    const last = samples.at(-1)!;
    console.info(
      [
        `soak: ${DAYS} days x ${PER_DAY} videos (${failed} refused at submit)`,
        `  videos dir: final ${last.videoFiles} files / ${last.videoBytes} B, peak ${peak('videoFiles')} files / ${peak('videoBytes')} B`,
        `  kept photos: final ${last.keptImageJobs} jobs, peak ${peak('keptImageJobs')} jobs`,
        `  store keys: final ${last.storeKeys} (images ${last.imageKeys}), peak ${peak('storeKeys')} (images ${peak('imageKeys')})`,
        `  memory: final RSS ${last.rssMb} MB / heap ${last.heapMb} MB, peak RSS ${peak('rssMb')} MB / heap ${peak('heapMb')} MB`,
      ].join('\n'),
    );

    // Videos are kept VIDEO_RETENTION_H (= the 72 h link TTL): three days' worth at most.
    expect(peak('videoFiles')).toBeLessThanOrEqual(3 * PER_DAY);
    expect(peak('videoFiles', 21)).toBeLessThanOrEqual(peak('videoFiles', 1, 10));
    // Killed downloads never pile up: swept nightly, and all removed at each start.
    expect(peak('partFiles')).toBe(0);
    // Kept photos are files, never store values, and leave a day after their job.
    expect(peak('imageKeys')).toBe(0);
    expect(peak('keptImageJobs', 11)).toBeLessThanOrEqual(2 * 10);
    // Memory does not grow with finished jobs: past the warm-up (days 1-10, code loading and
    // heap sizing), the last ten days stay near the ten before; the margins absorb GC timing.
    expect(peak('heapMb', 21)).toBeLessThanOrEqual(peak('heapMb', 11, 20) + 48);
    expect(peak('rssMb', 21)).toBeLessThanOrEqual(peak('rssMb', 11, 20) + 96);
    // Finished records leave after JOB_RETENTION_D (7 days here), dedupe keys and claims with
    // them: from the second week on the store holds about a week of jobs and no more.
    // Rows wobble by a day's worth with where TTLs fall against the nightly sweep; without the
    // retention the last ten days would add 500+ records (50 a day) on top.
    expect(peak('storeKeys', 21)).toBeLessThanOrEqual(peak('storeKeys', 11, 20) + 3 * PER_DAY);
    expect(last.storeKeys).toBeLessThanOrEqual(9 * PER_DAY * 3);
  }, 240_000);
});
