import { stat } from 'node:fs/promises';
import { systemClock } from '../../src/core/clock.js';
import type { Job } from '../../src/core/jobs/job.js';
import { startBenchBot } from '../lib/bench-bot.js';
import { settle, startMemoryProbe } from '../lib/memory.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmtMb, mb } from '../lib/stats.js';

const VIDEO_BYTES = 200 * 1024 * 1024;
const GROWTH_TARGET_MB = 50;

/**
 * One job whose MP4 is 200 MB: MiniMax download streamed to DATA_DIR, delivered as a link
 * (a platform upload limit is far below 200 MB), then fetched through /videos/<id>.mp4.
 * RSS growth = peak during all that − RSS of the idle bot just before.
 */
export async function runBigVideo(): Promise<ScenarioResult> {
  const sim = await startSimProcess({
    apiKey: 'bench-simulator-key',
    videoBytes: VIDEO_BYTES,
    timelineMs: { preparing: 100, queueing: 100, processing: 300 },
  });
  const bot = await startBenchBot({
    simUrl: sim.url,
    apiKey: sim.apiKey,
    clock: systemClock,
    callbacks: true,
    env: { POLL_MIN_S: '0.2', POLL_MAX_S: '0.5' },
  });
  // What a chat adapter does with a file over its upload limit: post the served link.
  let linkPosted: string | undefined;
  bot.engine.registerDeliverer('cli', {
    deliver: async (_job, video) => {
      linkPosted = video.fallbackUrl;
      return video.fallbackUrl ? { resultUrl: video.fallbackUrl } : {};
    },
  });

  const baseline = await settle();
  const probe = startMemoryProbe(10);
  const started = performance.now();
  const submitted = await bot.engine.submit(
    { prompt: 'a 200 MB video of the sea', model: 'MiniMax-Hailuo-2.3' },
    { platform: 'cli', userId: 'big', channelId: 'bench', ref: {} },
  );
  const finished = await new Promise<Job>((resolve) => {
    bot.engine.onProgress((e) => {
      if (e.jobId === submitted.id && ['done', 'failed', 'expired', 'cancelled'].includes(e.state))
        resolve(e.job);
    });
  });
  const pipelineS = (performance.now() - started) / 1000;
  const onDisk = finished.videoPath ? (await stat(finished.videoPath)).size : 0;

  let served = 0;
  const fetchStart = performance.now();
  if (linkPosted && finished.state === 'done') {
    const res = await fetch(linkPosted);
    if (res.body) for await (const chunk of res.body) served += (chunk as Uint8Array).byteLength;
  }
  const serveS = (performance.now() - fetchStart) / 1000;
  const { peakRss } = probe.stop();
  await bot.stop();
  await sim.stop();

  const growth = peakRss - baseline;
  const ok = finished.state === 'done' && onDisk === VIDEO_BYTES && served === VIDEO_BYTES;
  const checks: Check[] = [
    growth < GROWTH_TARGET_MB * 2 ** 20 && ok
      ? {
          target: `200 MB video: RSS growth < ${GROWTH_TARGET_MB} MB`,
          measured: fmtMb(growth),
          met: true,
        }
      : {
          target: `200 MB video: RSS growth < ${GROWTH_TARGET_MB} MB`,
          measured: fmtMb(growth),
          met: false,
          shortfall: ok
            ? `${(mb(growth) - GROWTH_TARGET_MB).toFixed(0)} MB over`
            : `the video did not make it through (job ${finished.state}, ${fmtMb(onDisk)} on disk, ${fmtMb(served)} served)`,
        },
  ];
  return {
    id: 'bigvideo',
    title: '4. Moving a 200 MB video end to end',
    head: ['measure', 'value'],
    rows: [
      ['job outcome', `${finished.state}${finished.error ? ` (${finished.error.code})` : ''}`],
      ['bytes on disk / served by /videos link', `${fmtMb(onDisk)} / ${fmtMb(served)}`],
      ['submit → done (create, poll, download 200 MB, deliver link)', `${pipelineS.toFixed(1)} s`],
      ['link download (200 MB)', `${serveS.toFixed(1)} s`],
      ['RSS idle bot / peak', `${fmtMb(baseline)} / ${fmtMb(peakRss)}`],
      ['RSS growth', fmtMb(growth)],
    ],
    checks,
    notes: [
      'The simulator streams a synthetic 200 MB MP4 from a separate process; the bot streams it to DATA_DIR, then serves it from its own HTTP server to a client in the bot process (so the growth includes both ends of that transfer).',
    ],
    wallSeconds: 0,
  };
}
