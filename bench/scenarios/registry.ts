import type { ScenarioResult } from '../lib/report.js';

export interface Scenario {
  id: string;
  title: string;
  /** Wall-clock budget; the runner kills the scenario past it and reports the shortfall. */
  budgetS: number;
  run(): Promise<ScenarioResult>;
}

/** Each scenario runs in its own process so memory measurements never include another's garbage. */
export const scenarios: Scenario[] = [
  {
    id: 'polling',
    title: '1. Polling cost and detection delay',
    budgetS: 120,
    run: async () => (await import('./polling.js')).runPolling(),
  },
  {
    id: 'ack',
    title: '2. Command-to-acknowledgement latency (200 at once, Discord)',
    budgetS: 60,
    run: async () => (await import('./ack-latency.js')).runAckLatency(),
  },
  {
    id: 'inflight',
    title: '3. 10,000 jobs in flight (built JavaScript)',
    budgetS: 300,
    run: async () => (await import('./in-flight.js')).runInFlight(),
  },
  {
    id: 'bigvideo',
    title: '4. Moving a 200 MB video end to end',
    budgetS: 60,
    run: async () => (await import('./big-video.js')).runBigVideo(),
  },
  {
    id: 'failover',
    title: '5. Failover in Redis mode (kill -9 of the instance holding 10 jobs)',
    budgetS: 120,
    run: async () => (await import('./failover.js')).runFailover(),
  },
  {
    id: 'rpm',
    title: '6. MINIMAX_RPM use (200 commands at once, RPM 5, event loop blocked)',
    budgetS: 90,
    run: async () => (await import('./rpm-use.js')).runRpmUse(),
  },
  {
    id: 'queries',
    title: '7. Status queries per second with 1,000 jobs in flight',
    budgetS: 120,
    run: async () => (await import('./in-flight.js')).runQueryRate(),
  },
];
