import { systemClock } from '../../src/core/clock.js';
import type { ProgressEvent } from '../../src/core/progress.js';
import { startBenchBot } from '../lib/bench-bot.js';
import { settle, startMemoryProbe } from '../lib/memory.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmtMb, mb } from '../lib/stats.js';

const JOBS = 1_000;
/** How long all jobs stay in flight (being polled) while we watch. */
const HOLD_MS = 40_000;
const RSS_TARGET_MB = 250;

/**
 * 1,000 jobs submitted at once, all created at MiniMax (MINIMAX_RPM and MAX_ACTIVE_JOBS at 1,000)
 * and then polled in real time for HOLD_MS while Prometheus scrapes /metrics every second.
 */
export async function runInFlight(): Promise<ScenarioResult> {
  const sim = await startSimProcess({
    apiKey: 'bench-simulator-key',
    rpm: 100_000,
    timelineMs: { preparing: 5_000, queueing: 10_000, processing: 86_400_000 },
  });
  const bot = await startBenchBot({
    simUrl: sim.url,
    apiKey: sim.apiKey,
    clock: systemClock,
    serve: true,
    env: { MINIMAX_RPM: '1000', MAX_ACTIVE_JOBS: '1000' },
  });
  const baseline = await settle();
  const probe = startMemoryProbe();

  const generating = new Set<string>();
  let allGenerating!: () => void;
  const reached = new Promise<void>((r) => {
    allGenerating = r;
  });
  bot.engine.onProgress((e: ProgressEvent) => {
    if (e.state === 'generating' && !generating.has(e.jobId)) {
      generating.add(e.jobId);
      if (generating.size === JOBS) allGenerating();
    }
  });

  const submitStart = performance.now();
  await Promise.all(
    Array.from({ length: JOBS }, (_, i) =>
      bot.engine.submit(
        { prompt: `in-flight job ${i}: waves on a rocky shore`, model: 'MiniMax-Hailuo-2.3' },
        { platform: 'cli', userId: `user${i % 50}`, channelId: `chan${i % 20}`, ref: {} },
      ),
    ),
  );
  const submittedS = (performance.now() - submitStart) / 1000;
  await Promise.race([reached, new Promise((r) => setTimeout(r, 30_000))]);
  const rampS = (performance.now() - submitStart) / 1000;

  // Event-loop delay is measured over the steady hold only, not the submit burst.
  const steady = startMemoryProbe();
  const before = await sim.counts();
  let scrapes = 0;
  const scraper = setInterval(() => {
    fetch(`${bot.server!.url}/metrics`)
      .then((r) => r.text())
      .then(
        () => {
          scrapes += 1;
        },
        () => undefined,
      );
  }, 1_000);
  await new Promise((r) => setTimeout(r, HOLD_MS));
  clearInterval(scraper);
  const after = await sim.counts();
  const hold = steady.stop();
  const whole = probe.stop();
  const queriesPerS = ((after['query'] ?? 0) - (before['query'] ?? 0)) / (HOLD_MS / 1000);

  await bot.stop();
  await sim.stop();

  const peak = Math.max(whole.peakRss, hold.peakRss);
  const checks: Check[] = [
    peak < RSS_TARGET_MB * 2 ** 20
      ? {
          target: `1,000 jobs in flight: peak RSS < ${RSS_TARGET_MB} MB`,
          measured: fmtMb(peak),
          met: true,
        }
      : {
          target: `1,000 jobs in flight: peak RSS < ${RSS_TARGET_MB} MB`,
          measured: fmtMb(peak),
          met: false,
          shortfall: `${(mb(peak) - RSS_TARGET_MB).toFixed(0)} MB over`,
        },
  ];
  if (generating.size < JOBS) {
    checks.push({
      target: 'all 1,000 jobs reach `generating`',
      measured: `${generating.size}`,
      met: false,
      shortfall: `${JOBS - generating.size} never got a task within 30 s`,
    });
  }
  return {
    id: 'inflight',
    title: '3. 1,000 jobs in flight',
    head: ['measure', 'value'],
    rows: [
      ['jobs in `generating`', `${generating.size} of ${JOBS}`],
      ['submit 1,000 (durable)', `${submittedS.toFixed(2)} s`],
      ['submit → all tasks created', `${rampS.toFixed(1)} s`],
      ['RSS before submitting (bot idle)', fmtMb(baseline)],
      ['peak RSS', fmtMb(peak)],
      [
        'event-loop delay p50 / p99 / max (steady hold)',
        `${hold.loopP50Ms.toFixed(1)} / ${hold.loopP99Ms.toFixed(1)} / ${hold.loopMaxMs.toFixed(1)} ms`,
      ],
      [
        'event-loop delay p99 / max (whole run, incl. the burst)',
        `${whole.loopP99Ms.toFixed(1)} / ${whole.loopMaxMs.toFixed(1)} ms`,
      ],
      ['status queries per second (steady)', queriesPerS.toFixed(1)],
      ['/metrics scrapes answered', `${scrapes}`],
    ],
    checks,
    notes: [
      `Real time; the simulator runs in a separate process so its memory is not counted. Jobs are held in \`generating\` for ${HOLD_MS / 1000} s; memory store, HTTP server and metrics on, no chat adapter.`,
    ],
    wallSeconds: 0,
  };
}
