import { createSimulator } from '../../src/simulator/index.js';
import { startBenchBot } from '../lib/bench-bot.js';
import { maxInWindow, perWindow } from '../lib/rate-stats.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { createScaledClock } from '../lib/scaled-clock.js';

/** 1 s of wall time = 1 simulated minute. */
const SCALE = 60;
const RPM = 5;
const COMMANDS = 200;
const MINUTES = 5;

/** Busy-waits `blockMs` of every `everyMs` of wall time: 1.5 simulated s per block at SCALE 60. */
function blockEventLoop(everyMs: number, blockMs: number): () => void {
  const timer = setInterval(() => {
    const until = performance.now() + blockMs;
    while (performance.now() < until) {
      // Deliberately busy, like a process parsing JSON or resizing images.
    }
  }, everyMs);
  return () => clearInterval(timer);
}

/**
 * 200 commands at once against MINIMAX_RPM=5 while the event loop is blocked 60 % of the time:
 * creates MiniMax saw per minute (at arrival, by the simulator's sliding 60 s window, which
 * answers 1002 above the limit) against the budget.
 */
export async function runRpmUse(): Promise<ScenarioResult> {
  const clock = createScaledClock(SCALE);
  const sim = await createSimulator({
    apiKey: 'bench-rpm-key',
    rpm: RPM,
    now: () => clock.now(),
    timelineMs: { preparing: 1_000, queueing: 1_000, processing: 5_000 },
  });
  const bot = await startBenchBot({
    simUrl: sim.url,
    apiKey: sim.apiKey,
    clock,
    env: {
      MINIMAX_RPM: String(RPM),
      MAX_ACTIVE_JOBS: String(COMMANDS),
      POLL_MIN_S: '1',
      POLL_MAX_S: '3',
    },
  });
  const unblock = blockEventLoop(40, 25);
  let createdAt: number[];
  try {
    await Promise.all(
      Array.from({ length: COMMANDS }, (_, i) =>
        bot.engine.submit(
          { prompt: `rpm bench clip ${i}` },
          { platform: 'cli', userId: `user${i}`, channelId: `chan${i % 7}`, ref: {} },
        ),
      ),
    );
    const giveUpAt = Date.now() + 60_000;
    for (;;) {
      const first = Math.min(...[...sim.tasks.values()].map((t) => t.createdAt));
      if (Number.isFinite(first) && clock.now() >= first + MINUTES * 60_000) break;
      if (Date.now() > giveUpAt) throw new Error(`${MINUTES} simulated minutes did not pass`);
      await new Promise((r) => setTimeout(r, 50));
    }
    createdAt = [...sim.tasks.values()].map((t) => t.createdAt).sort((a, b) => a - b);
  } finally {
    unblock();
    await bot.stop();
  }
  const rateLimited = sim.creates().length - sim.tasks.size;
  await sim.stop();

  const first = createdAt[0]!;
  const inWindow = createdAt.filter((t) => t < first + MINUTES * 60_000);
  const perMinute = perWindow(inWindow, first, 60_000, MINUTES);
  const busiest = maxInWindow(inWindow, 60_000);
  const inThree = inWindow.filter((t) => t < first + 180_000).length;
  const useThree = inThree / (3 * RPM);
  const useAll = inWindow.length / (MINUTES * RPM);
  const checks: Check[] = [
    rateLimited === 0
      ? {
          target: 'MINIMAX_RPM=5, 200 commands, blocked event loop: 0 answers 1002',
          measured: '0',
          met: true,
        }
      : {
          target: 'MINIMAX_RPM=5, 200 commands, blocked event loop: 0 answers 1002',
          measured: String(rateLimited),
          met: false,
          shortfall: `${rateLimited} creates reached MiniMax above its limit`,
        },
    busiest <= RPM
      ? {
          target: 'never more than 5 creates in any 60 s at MiniMax',
          measured: String(busiest),
          met: true,
        }
      : {
          target: 'never more than 5 creates in any 60 s at MiniMax',
          measured: String(busiest),
          met: false,
          shortfall: `${busiest - RPM} over in the busiest window`,
        },
    useThree >= 0.95
      ? {
          target: 'creates use ≥ 95 % of the budget over 3 minutes',
          measured: pct(useThree),
          met: true,
        }
      : {
          target: 'creates use ≥ 95 % of the budget over 3 minutes',
          measured: pct(useThree),
          met: false,
          shortfall: `${(95 - useThree * 100).toFixed(0)} points short`,
        },
  ];
  return {
    id: 'rpm',
    title: '5. MINIMAX_RPM use (200 commands at once, RPM 5, event loop blocked)',
    head: ['measure', 'value'],
    rows: [
      ['creates per minute, minutes 1–5 (budget 5 each)', perMinute.join(' / ')],
      ['busiest sliding 60 s window at MiniMax', `${busiest} of ${RPM}`],
      ['1002 (rate limit) answers', String(rateLimited)],
      ['budget used over 3 minutes', `${inThree} of ${3 * RPM} (${pct(useThree)})`],
      [
        `budget used over ${MINUTES} minutes`,
        `${inWindow.length} of ${MINUTES * RPM} (${pct(useAll)})`,
      ],
    ],
    checks,
    notes: [
      `Simulated time ×${SCALE} (the bot and the simulator share the clock); the event loop is busy-blocked 25 ms of every 40 ms of wall time (1.5 simulated s per block), so creates reach MiniMax well after the gate let them through. Each create counts from its reservation until 60 s after its answer, so one cycle is 60 s plus the answer time.`,
    ],
    wallSeconds: 0,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)} %`;
}
