import { systemClock } from '../../src/core/clock.js';
import { startBenchBot } from '../lib/bench-bot.js';
import { startDiscordProcess } from '../lib/discord-process.js';
import { startMemoryProbe } from '../lib/memory.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmtMs, mean, percentile } from '../lib/stats.js';

const COMMANDS = 200;
const WARMUP = 3;
const P99_TARGET_MS = 500;

/**
 * 200 `/video` slash commands dispatched over the gateway in one burst, from 200 different users,
 * through the real discord.js client and Discord adapter as `serve` wires them (src/main.ts), with
 * the real engine behind it
 * (MINIMAX_RPM 5, so most jobs queue and their messages show queue positions). The fake Discord
 * and the simulator run in their own processes, as the real services are remote.
 * Latency = the fake dispatches INTERACTION_CREATE → it receives the interaction callback.
 */
export async function runAckLatency(): Promise<ScenarioResult> {
  const discord = await startDiscordProcess();
  const sim = await startSimProcess({ apiKey: 'bench-simulator-key' });
  const bot = await startBenchBot({
    simUrl: sim.url,
    apiKey: sim.apiKey,
    clock: systemClock,
    env: {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    },
  });
  await discord.waitForIdentify();

  // A running bot has every code path loaded and its connections open; so does this one.
  await discord.burst(WARMUP, 'warm-up', 0);
  await new Promise((r) => setTimeout(r, 500));

  const probe = startMemoryProbe();
  const acks = await discord.burst(COMMANDS, 'ack bench', WARMUP);
  const loop = probe.stop();
  // Let the jobs land in the store before counting them.
  await new Promise((r) => setTimeout(r, 500));
  const jobs = (await bot.store.listActive()).length;

  await bot.stop();
  await sim.stop();
  await discord.stop();

  const latencies = acks.flatMap((a) => (a.latencyMs === null ? [] : [a.latencyMs]));
  const missing = COMMANDS - latencies.length;
  const late = latencies.filter((ms) => ms > 3_000).length;
  const deferred = acks.filter((a) => a.ackType === 5).length;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const target = `Discord ack p99 < ${P99_TARGET_MS} ms (200 at once)`;
  const checks: Check[] = [
    p99 < P99_TARGET_MS && missing === 0
      ? { target, measured: fmtMs(p99), met: true }
      : {
          target,
          measured: fmtMs(p99),
          met: false,
          shortfall:
            missing > 0
              ? `${missing} commands never acknowledged`
              : `${fmtMs(p99 - P99_TARGET_MS)} over`,
        },
  ];
  return {
    id: 'ack',
    title: '2. Command-to-acknowledgement latency (200 at once, Discord)',
    head: ['measure', 'value'],
    rows: [
      [
        'commands acknowledged',
        `${latencies.length} of ${COMMANDS} (${deferred} deferred replies)`,
      ],
      ['p50 / p99 / max', `${fmtMs(p50)} / ${fmtMs(p99)} / ${fmtMs(Math.max(...latencies))}`],
      ['mean', fmtMs(mean(latencies))],
      ['past Discord’s 3 s deadline', String(late)],
      ['jobs queued or running afterwards (incl. warm-up)', String(jobs)],
      [
        'bot event-loop delay p99 / max during the burst',
        `${loop.loopP99Ms.toFixed(1)} / ${loop.loopMaxMs.toFixed(1)} ms`,
      ],
    ],
    checks,
    notes: [
      `Discord.js, the adapter, the engine and a memory store in one process; the fake Discord (gateway + REST) and the simulator in two others. ${WARMUP} warm-up commands first.`,
    ],
    wallSeconds: 0,
  };
}
