import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cluster } from './cluster.js';

/**
 * Issue #11, "one writer per embedded store": two bot processes on one DATA_DIR (say `serve` and
 * `generate`, or two containers overlapping in a deploy) share the SQLite store through real
 * transactions. Each submits 100 jobs: all 200 are stored, each is created at MiniMax once, run
 * by one process and delivered once.
 */
describe('two processes on one SQLite DATA_DIR', { timeout: 90_000 }, () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('stores, creates and delivers 100 jobs from each, none lost and none run twice', async () => {
    cluster = await Cluster.create(
      { MAX_ACTIVE_JOBS: '40', MINIMAX_RPM: '1000', MINIMAX_QPS: '1000' },
      {
        store: 'sqlite',
        quickFailover: false,
        timelineMs: { preparing: 5, queueing: 5, processing: 30 },
      },
    );
    const [a, b] = await cluster.start('a', 'b');
    for (let i = 0; i < 100; i++) {
      a!.submit(`from a ${i}`, `ua${i % 7}`);
      b!.submit(`from b ${i}`, `ub${i % 7}`);
    }
    await vi.waitFor(() => expect(a!.submitted().length + b!.submitted().length).toBe(200), {
      timeout: 30_000,
    });
    const submitted = [...a!.submitted(), ...b!.submitted()].sort();
    await vi.waitFor(
      () => expect([...a!.delivered(), ...b!.delivered()].length).toBeGreaterThanOrEqual(200),
      { timeout: 60_000, interval: 200 },
    );
    const delivered = [...a!.delivered(), ...b!.delivered()].sort();
    expect(delivered).toEqual(submitted);
    expect(cluster.sim.creates()).toHaveLength(200);
    // Each job was created by exactly one process.
    const creators = [...a!.createdJobs(), ...b!.createdJobs()].sort();
    expect(creators).toEqual(submitted);
    const db = new Database(join(cluster.dataDir, 'bot.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all();
    db.close();
    expect(rows).toEqual([{ state: 'done', n: 200 }]);
  });
});
