import type { Platform } from '../jobs/job.js';
import type { TaskScheduler } from '../scheduler/task-scheduler.js';
import { entryOf } from './job-admission.js';
import type { RunContext } from './run-context.js';

export interface RecoverOptions {
  scheduler: Pick<TaskScheduler, 'enqueue' | 'recover'>;
  /** Continues a job past the queue from its stored state (`RunRegistry.continue`). */
  continueJob(jobId: string): Promise<void>;
  /** Only jobs of these platforms; default all (see `JobEngineOptions.resumePlatforms`). */
  platforms?: readonly Platform[];
}

/**
 * At start, every unfinished job in the store is handed back to the scheduler, oldest first so
 * the queue keeps its order: queued ones are enqueued, the others are `recover`ed. What that
 * means is the scheduler's to say: the in-process one continues them at once, a shared queue
 * leaves them to whichever instance holds or takes them over (see TaskScheduler.recover).
 */
export async function recoverJobs(ctx: RunContext, options: RecoverOptions): Promise<number> {
  const { platforms, scheduler } = options;
  const jobs = (await ctx.store.listActive())
    .filter((job) => !platforms || platforms.includes(job.origin.platform))
    .sort((a, b) => a.createdAt - b.createdAt);
  for (const job of jobs) {
    ctx.records.adopt(job);
    const log = ctx.logger.child({ jobId: job.id, taskId: job.taskId });
    try {
      if (job.state === 'queued') await scheduler.enqueue(entryOf(job));
      else await scheduler.recover(entryOf(job), () => options.continueJob(job.id));
      log.info({ state: job.state }, 'job resumed');
    } catch (err) {
      log.error({ err }, 'could not resume job');
    }
  }
  return jobs.length;
}
