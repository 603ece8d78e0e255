import type { TaskScheduler } from '../scheduler/task-scheduler.js';
import { entryOf } from './job-admission.js';
import type { RunContext } from './run-context.js';
import type { RunRegistry } from './run-registry.js';

/**
 * Finds unfinished jobs nobody works on any more (their process died or was cut off, so their
 * claim lapsed) and hands them to the scheduler again: queued ones join this process's queue
 * unless they are in it, the others continue here when their claim can be taken. Jobs another
 * live process holds stay where they are: the claim decides, never this list.
 */
export async function takeOverOrphans(
  ctx: RunContext,
  scheduler: Pick<TaskScheduler, 'enqueue' | 'recover' | 'positions'>,
  runs: RunRegistry,
  /** Only jobs of these platforms (a `generate` process leaves chat jobs to `serve`). */
  platforms?: readonly string[],
): Promise<void> {
  const queuedHere = await scheduler.positions();
  for (const job of await ctx.store.listActive()) {
    if (runs.get(job.id) || queuedHere.has(job.id)) continue;
    if (platforms && !platforms.includes(job.origin.platform)) continue;
    if (job.state === 'queued') await scheduler.enqueue(entryOf(job));
    else await scheduler.recover(entryOf(job), () => runs.takeOver(job.id));
  }
}
