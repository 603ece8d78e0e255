import type { Job } from '../jobs/job.js';
import { RESTART_UNKNOWN_OUTCOME } from './failures.js';
import type { RunContext } from './run-context.js';

export interface ResumeActions {
  /** Put a queued job back in the scheduler. */
  enqueue(job: Job): Promise<void>;
  /** Continue a job past the queue (it takes an active slot). */
  run(job: Job): void;
}

/**
 * After a restart, every non-terminal job continues at its step, oldest first so the queue keeps
 * its order. The one delicate case is `submitting` without a task id: the process died between
 * sending the create and saving its answer, or before sending at all. `createStartedAt` (saved
 * before the send) tells them apart: never sent → requeue; maybe sent → fail with the
 * unknown-outcome message, because MiniMax cannot list tasks and a second create may bill twice.
 */
export async function resumeJobs(ctx: RunContext, actions: ResumeActions): Promise<number> {
  const jobs = (await ctx.store.listActive()).sort((a, b) => a.createdAt - b.createdAt);
  for (const stored of jobs) {
    ctx.records.adopt(stored);
    const log = ctx.logger.child({ jobId: stored.id, taskId: stored.taskId });
    try {
      await resumeOne(ctx, actions, stored);
      log.info({ state: stored.state }, 'job resumed');
    } catch (err) {
      log.error({ err }, 'could not resume job');
    }
  }
  return jobs.length;
}

async function resumeOne(ctx: RunContext, actions: ResumeActions, job: Job): Promise<void> {
  switch (job.state) {
    case 'queued':
      return actions.enqueue(job);
    case 'submitting': {
      if (job.taskId) {
        const next = await ctx.records.transition(job.id, 'generating', 'resumed with its task');
        return actions.run(next);
      }
      if (job.createStartedAt !== undefined) {
        await ctx.records.transition(job.id, 'failed', 'restart during create', {
          error: RESTART_UNKNOWN_OUTCOME,
        });
        return;
      }
      const next = await ctx.records.transition(job.id, 'queued', 'create never sent; requeued');
      return actions.enqueue(next);
    }
    case 'generating':
    case 'downloading':
    case 'uploading':
      return actions.run(job);
    default:
      return;
  }
}

/**
 * The shared-queue (Redis) counterpart of `resumeJobs`: another live instance may be running any
 * of these jobs, so nothing is changed here; each unfinished job is only handed to the queue,
 * which ignores the ones it still holds and dispatches the lost ones (see `RunRegistry.dispatch`).
 */
export async function requeueJobs(
  ctx: RunContext,
  enqueue: (job: Job) => Promise<void>,
): Promise<number> {
  const jobs = (await ctx.store.listActive()).sort((a, b) => a.createdAt - b.createdAt);
  for (const job of jobs) {
    await enqueue(job).catch((err: unknown) =>
      ctx.logger.error({ err, jobId: job.id }, 'could not requeue job'),
    );
  }
  return jobs.length;
}
