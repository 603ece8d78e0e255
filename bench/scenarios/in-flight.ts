import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { maxInWindow } from '../lib/rate-stats.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmtMb, mb } from '../lib/stats.js';

interface DistBotResult {
  submitted: number;
  generating: number;
  submittedS: number;
  rampS: number;
  baselineRss: number;
  peakRss: number;
  settledRss: number;
  settledHeap: number;
  holdStartedAt: number;
  holdEndedAt: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

interface InFlightRun {
  jobs: number;
  holdMs: number;
  submitLimitMs: number;
  rampLimitMs: number;
  env: Record<string, string>;
}

/** Runs dist-bot.mjs (the built bot, no TypeScript loader) against the simulator in its own process. */
async function runDistBot(run: InFlightRun) {
  const distMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
  if (!existsSync(distMain)) throw new Error('dist/ is missing: run `npm run build` first');
  const sim = await startSimProcess({
    apiKey: 'bench-simulator-key',
    rpm: 1_000_000,
    timelineMs: { preparing: 5_000, queueing: 10_000, processing: 86_400_000 },
  });
  try {
    const child = fork(
      fileURLToPath(new URL('../lib/dist-bot.mjs', import.meta.url)),
      [JSON.stringify({ simUrl: sim.url, apiKey: sim.apiKey, ...run })],
      { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const result = await new Promise<DistBotResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as DistBotResult));
      child.once('exit', (code) => reject(new Error(`built bot exited (${code})`)));
    });
    const queries = await sim.times('query', result.holdStartedAt);
    const inHold = queries.filter((t) => t < result.holdEndedAt);
    return { result, inHold, holdS: (result.holdEndedAt - result.holdStartedAt) / 1000 };
  } finally {
    await sim.stop();
  }
}

function check(target: string, measured: string, met: boolean, shortfall: string): Check {
  return met ? { target, measured, met } : { target, measured, met, shortfall };
}

const RSS_TARGET_MB = 300;
const LOOP_P99_TARGET_MS = 50;
const QPS = 5;

/**
 * 10,000 jobs submitted at once to the built bot, all created at MiniMax and then held in
 * `generating` (polled under the default MINIMAX_QPS) while memory and event-loop delay are watched.
 */
export async function runInFlight(): Promise<ScenarioResult> {
  const jobs = 10_000;
  const {
    result: r,
    inHold,
    holdS,
  } = await runDistBot({
    jobs,
    holdMs: 30_000,
    submitLimitMs: 90_000,
    rampLimitMs: 60_000,
    env: { MINIMAX_RPM: String(jobs), MAX_ACTIVE_JOBS: String(jobs), MINIMAX_QPS: String(QPS) },
  });
  const checks: Check[] = [
    check(
      `10,000 jobs in flight: peak RSS < ${RSS_TARGET_MB} MB`,
      fmtMb(r.peakRss),
      mb(r.peakRss) < RSS_TARGET_MB,
      `${(mb(r.peakRss) - RSS_TARGET_MB).toFixed(0)} MB over; the peak is the submit and create burst (10,000 creates in ~10 s): after a full GC with every job still in flight RSS is ${fmtMb(r.settledRss)}, JS heap ${fmtMb(r.settledHeap)} (${((r.settledHeap - 0) / jobs / 1024).toFixed(1)} kB of heap per job at most)`,
    ),
    check(
      `10,000 jobs in flight: event-loop delay p99 < ${LOOP_P99_TARGET_MS} ms`,
      `${r.loopP99Ms.toFixed(1)} ms`,
      r.loopP99Ms < LOOP_P99_TARGET_MS,
      `${(r.loopP99Ms - LOOP_P99_TARGET_MS).toFixed(1)} ms over`,
    ),
    check(
      'all 10,000 jobs reach `generating`',
      `${r.generating}`,
      r.generating === jobs,
      `${jobs - r.generating} not in flight: ${jobs - r.submitted} not submitted within 90 s, ${r.submitted - r.generating} without a task 60 s later`,
    ),
  ];
  return {
    id: 'inflight',
    title: '3. 10,000 jobs in flight (built JavaScript)',
    head: ['measure', 'value'],
    rows: [
      ['jobs in `generating`', `${r.generating} of ${jobs}`],
      ['jobs submitted (time box 90 s)', `${r.submitted} in ${r.submittedS.toFixed(1)} s`],
      ['submit → all tasks created', `${r.rampS.toFixed(1)} s`],
      ['RSS before submitting (bot idle)', fmtMb(r.baselineRss)],
      ['peak RSS', fmtMb(r.peakRss)],
      [
        'RSS / JS heap after a full GC, jobs still in flight',
        `${fmtMb(r.settledRss)} / ${fmtMb(r.settledHeap)}`,
      ],
      [
        'event-loop delay p50 / p99 / max (steady hold)',
        `${r.loopP50Ms.toFixed(1)} / ${r.loopP99Ms.toFixed(1)} / ${r.loopMaxMs.toFixed(1)} ms`,
      ],
      [
        `status queries per second (steady; MINIMAX_QPS ${QPS})`,
        `${(inHold.length / holdS).toFixed(1)} mean, ${maxInWindow(inHold, 1_000)} peak in any 1 s`,
      ],
    ],
    checks,
    notes: [
      ...(r.generating < jobs
        ? [
            `Shortfall: ${jobs - r.generating} jobs did not reach \`generating\` within the time box; the submit and ramp rows show which phase ran out.`,
          ]
        : []),
      'The bot runs from dist/ (`node`, no TypeScript loader) in its own process, as `npm start` runs it; the simulator runs in another, so neither counts in the other’s memory. Real time; jobs are held in `generating` for 30 s; the default store (SQLite in DATA_DIR), no chat adapter, no HTTP server.',
    ],
    wallSeconds: 0,
  };
}

/**
 * 1,000 jobs in flight under the default MINIMAX_QPS: the queries MiniMax sees per second (at
 * arrival, by the simulator's log) stay at or below the cap, however many jobs want an answer.
 */
export async function runQueryRate(): Promise<ScenarioResult> {
  const jobs = 1_000;
  const {
    result: r,
    inHold,
    holdS,
  } = await runDistBot({
    jobs,
    holdMs: 20_000,
    submitLimitMs: 60_000,
    rampLimitMs: 60_000,
    // Every job wants an answer every 1–2 s: 500–1,000 queries per second without the cap.
    env: {
      MINIMAX_RPM: String(jobs),
      MAX_ACTIVE_JOBS: String(jobs),
      MINIMAX_QPS: String(QPS),
      POLL_MIN_S: '1',
      POLL_MAX_S: '2',
    },
  });
  const peak = maxInWindow(inHold, 1_000);
  const mean = inHold.length / holdS;
  return {
    id: 'queries',
    title: '6. Status queries per second with 1,000 jobs in flight',
    head: ['measure', 'value'],
    rows: [
      ['jobs in `generating`', `${r.generating} of ${jobs}`],
      ['MINIMAX_QPS (cap)', `${QPS}`],
      ['queries per second, mean over the hold', mean.toFixed(2)],
      ['queries in the busiest 1 s window (at MiniMax)', `${peak}`],
      ['queries wanted (1,000 jobs, POLL_MAX_S 2)', '500 or more per second'],
    ],
    checks: [
      check(
        `1,000 jobs in flight: status queries ≤ MINIMAX_QPS (${QPS}) in every 1 s`,
        `${peak} peak, ${mean.toFixed(2)} mean`,
        peak <= QPS,
        `${peak - QPS} over the cap in the busiest second`,
      ),
      check(
        'the cap is used, not just respected: mean ≥ 90 % of MINIMAX_QPS',
        `${mean.toFixed(2)} per second`,
        mean >= 0.9 * QPS,
        `${(QPS - mean).toFixed(2)} per second unused`,
      ),
    ],
    notes: [
      `Real time, built bot, ${holdS.toFixed(0)} s hold; the simulator logs each query when it arrives.`,
    ],
    wallSeconds: 0,
  };
}
