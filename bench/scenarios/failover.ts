import { redisAvailable } from '../../test/core/scheduler/redis-test-env.js';
import { Cluster } from '../../test/multi-instance/cluster.js';
import { measureFailover } from '../../test/multi-instance/measure-failover.js';
import type { Check, ScenarioResult } from '../lib/report.js';

const JOBS = 10;
const TARGET_S = 20;

/**
 * Issue #11: two bot processes on the local Redis with the production queue timings; the one
 * holding 10 generating jobs is killed with SIGKILL, and the time until the other has queried
 * every one of their tasks is measured (the simulator records each query).
 */
export async function runFailover(): Promise<ScenarioResult> {
  const base = {
    id: 'failover',
    title: '5. Failover in Redis mode (kill -9 of the instance holding 10 jobs)',
  };
  if (!(await redisAvailable())) {
    return {
      ...base,
      head: ['result'],
      rows: [['no Redis at REDIS_URL: not measured']],
      checks: [
        {
          target: `failover ≤ ${TARGET_S} s`,
          measured: 'not measured',
          met: false,
          shortfall: 'needs a Redis at REDIS_URL (default 127.0.0.1:6379)',
        },
      ],
      notes: [],
      wallSeconds: 0,
    };
  }
  const started = performance.now();
  const cluster = await Cluster.create(
    { MAX_ACTIVE_JOBS: String(JOBS), MINIMAX_RPM: '100' },
    { quickFailover: false },
  );
  try {
    const result = await measureFailover(cluster, JOBS);
    const sorted = [...result.perTaskMs].sort((a, b) => a - b);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const check: Check = {
      target: `failover ≤ ${TARGET_S} s`,
      measured: seconds(result.takeoverMs),
      met: result.takeoverMs <= TARGET_S * 1000,
      ...(result.takeoverMs > TARGET_S * 1000
        ? { shortfall: `${seconds(result.takeoverMs - TARGET_S * 1000)} over` }
        : {}),
    };
    return {
      ...base,
      head: ['jobs', 'first job polled again', 'last job polled again (failover time)'],
      rows: [[String(JOBS), seconds(sorted[0]!), seconds(result.takeoverMs)]],
      checks: [check],
      notes: [
        'BullMQ lock 10 s, stalled check every 5 s (the defaults): worst case about 15 s plus pick-up.',
      ],
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await cluster.close();
  }
}
