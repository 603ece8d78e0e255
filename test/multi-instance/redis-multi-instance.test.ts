import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisAvailable } from '../core/scheduler/redis-test-env.js';
import { Cluster } from './cluster.js';

const available = await redisAvailable();

// Child processes start slowly on a loaded machine; every wait inside has its own timeout.
describe.skipIf(!available)('several instances on one Redis', { timeout: 60_000 }, () => {
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('shares the jobs submitted on one instance with the other, which also honours a cancel', async () => {
    cluster = await Cluster.create({ MAX_ACTIVE_JOBS: '4', TEST_CONCURRENCY: '2' });
    const [a, b] = await cluster.start('a', 'b');
    for (let i = 1; i <= 4; i++) a!.submit(`shared job ${i}`, `user${i}`);
    await vi.waitFor(() => expect(cluster!.sim.creates()).toHaveLength(4), { timeout: 10_000 });
    await vi.waitFor(() =>
      expect([...a!.createdJobs(), ...b!.createdJobs()].sort()).toEqual(a!.submitted().sort()),
    );
    // Each instance works on at most two at once, so both had to take some.
    expect(a!.createdJobs()).toHaveLength(2);
    expect(b!.createdJobs()).toHaveLength(2);
    // The requester cancels through instance A a job that B is running.
    const cancelled = b!.createdJobs()[0]!;
    a!.cancel(cancelled, a!.userOf(cancelled)!);
    await vi.waitFor(() => expect(a!.cancelOutcome(cancelled)).toBe('cancelled'));
    for (const taskId of cluster.sim.tasks.keys()) cluster.sim.finish(taskId);
    const others = a!.submitted().filter((id) => id !== cancelled);
    await vi.waitFor(
      () => expect([...a!.delivered(), ...b!.delivered()].sort()).toEqual(others.sort()),
      { timeout: 10_000 },
    );
    expect(b!.delivered()).toHaveLength(1);
    await vi.waitFor(async () => expect(await cluster!.stateOf(cancelled)).toBe('cancelled'));
  });

  it('keeps MINIMAX_RPM for both instances together', async () => {
    cluster = await Cluster.create({
      MINIMAX_RPM: '2',
      MAX_ACTIVE_JOBS: '10',
      TEST_CONCURRENCY: '3',
    });
    const [a, b] = await cluster.start('a', 'b');
    for (let i = 1; i <= 3; i++) a!.submit(`rated on a ${i}`, `ua${i}`);
    for (let i = 1; i <= 2; i++) b!.submit(`rated on b ${i}`, `ub${i}`);
    await vi.waitFor(() => expect([...a!.submitted(), ...b!.submitted()]).toHaveLength(5));
    await vi.waitFor(() => expect(cluster!.sim.creates()).toHaveLength(2), { timeout: 10_000 });
    // The next create may only come 60 s after the first; nothing else may slip through.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(cluster.sim.creates()).toHaveLength(2);
    const states = await Promise.all(
      [...a!.submitted(), ...b!.submitted()].map((id) => cluster!.stateOf(id)),
    );
    expect(states.filter((s) => s === 'queued')).toHaveLength(3);
    expect(states.filter((s) => s === 'generating')).toHaveLength(2);
  });

  it('finishes the job of a killed instance on the other, with one create', async () => {
    cluster = await Cluster.create({ MAX_ACTIVE_JOBS: '2' });
    const [a, b] = await cluster.start('a', 'b');
    a!.submit('survives a crash');
    const creator = () => [a!, b!].find((i) => i.createdJobs().length > 0);
    await vi.waitFor(() => expect(creator()).toBeDefined(), { timeout: 10_000 });
    const victim = creator()!;
    const survivor = victim === a ? b! : a!;
    const jobId = victim.createdJobs()[0]!;
    await victim.kill();
    cluster.sim.finish([...cluster.sim.tasks.keys()][0]!);
    await vi.waitFor(() => expect(survivor.delivered()).toEqual([jobId]), { timeout: 10_000 });
    expect(cluster.sim.creates()).toHaveLength(1);
    expect(survivor.createdJobs()).toEqual([]);
    expect(existsSync(join(cluster.dataDir, 'videos', `${jobId}.mp4`))).toBe(true);
    expect(await cluster.stateOf(jobId)).toBe('done');
  });
});
