import type { Cluster } from './cluster.js';
import type { InstanceProcess } from './instance-process.js';

export interface FailoverResult {
  victim: InstanceProcess;
  survivor: InstanceProcess;
  jobIds: string[];
  /** From the kill until the survivor had queried the last of the victim's tasks. */
  takeoverMs: number;
  /** Per task, from the kill until its first query by the survivor. */
  perTaskMs: number[];
}

/**
 * Starts one instance, lets it create `jobs` tasks (they run until finished by the caller),
 * starts a second, kill -9s the first and waits until every task was queried again: only the
 * survivor can have sent those queries. Uses the production queue timings.
 */
export async function measureFailover(cluster: Cluster, jobs: number): Promise<FailoverResult> {
  const [victim] = await cluster.start('victim');
  for (let i = 0; i < jobs; i++) victim!.submit(`failover ${i}`, `user${i}`);
  await until(() => victim!.createdJobs().length >= jobs, 30_000, `${jobs} creates`);
  const [survivor] = await cluster.start('survivor');
  const taskIds = [...cluster.sim.tasks.keys()];
  await victim!.kill();
  const killedAt = Date.now();
  const firstQueryAfter = (taskId: string) =>
    cluster.sim.queries(taskId).find((r) => r.at >= killedAt)?.at;
  await until(
    () => taskIds.every((t) => firstQueryAfter(t) !== undefined),
    40_000,
    'every task queried by the survivor',
  );
  const perTaskMs = taskIds.map((t) => firstQueryAfter(t)! - killedAt);
  return {
    victim: victim!,
    survivor: survivor!,
    jobIds: victim!.createdJobs(),
    takeoverMs: Math.max(...perTaskMs),
    perTaskMs,
  };
}

/** Polls `done` every 50 ms; rejects naming `what` after `timeoutMs` (also used by the bench). */
async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
