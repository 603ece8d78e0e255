import { isTerminal, type Job } from '../jobs/job.js';
import type { ClaimKeeper } from './claim-keeper.js';
import { RESTART_UNKNOWN_OUTCOME } from './failures.js';
import { JobRun } from './job-run.js';
import { runJob } from './job-runner.js';
import type { RunContext } from './run-context.js';
import { InvalidTransitionError, JobNotFoundError } from './transition.js';

/**
 * The jobs this process is working on, by id; starts, hints and stops their runs. A job runs
 * here only under this process's claim (see ClaimKeeper), so two processes sharing a store, or
 * an instance taking over a job whose owner looks dead, never run it twice.
 */
export class RunRegistry {
  private readonly runs = new Map<string, JobRun>();
  private readonly entering = new Set<string>();

  constructor(
    private readonly ctx: RunContext,
    /** Puts a job back in the queue (a resumed create that never went out). */
    private readonly requeue: (job: Job) => Promise<void>,
    private readonly claims: ClaimKeeper,
  ) {}

  /**
   * A queued job's turn came (a slot and a create were taken for it): `queued` → `submitting`,
   * then run it to the end. A job already past the queue (a shared queue handing over the job of
   * a stopped or dead instance) continues from its stored state instead.
   */
  async dispatch(jobId: string): Promise<void> {
    await this.exclusive(jobId, () => this.dispatchNow(jobId));
  }

  /** Continues a job found past the queue (at start, or orphaned by a process that died). */
  async continue(jobId: string): Promise<void> {
    await this.exclusive(jobId, () => this.continueClaimed(jobId, false, true));
  }

  /** Continues an orphaned job if its claim is free now (periodic takeover; never waits). */
  async takeOver(jobId: string): Promise<void> {
    await this.exclusive(jobId, () => this.continueClaimed(jobId, false, false));
  }

  /**
   * One way in per job and process: a second dispatch, continue or takeover of a job this
   * process is already starting or running returns at once. Claims are per process, so without
   * this a second entry would hold the same claim, find the job busy and release the claim
   * under the run that is using it.
   */
  private async exclusive(jobId: string, enter: () => Promise<void>): Promise<void> {
    if (this.entering.has(jobId) || this.runs.has(jobId)) return;
    this.entering.add(jobId);
    try {
      await enter();
    } finally {
      this.entering.delete(jobId);
    }
  }

  private async dispatchNow(jobId: string): Promise<void> {
    const stored = await this.ctx.records.get(jobId);
    if (!stored || isTerminal(stored.state)) return;
    // A job past the queue is a takeover: its last holder may need a lease to be declared gone.
    if (stored.state !== 'queued') return this.continueClaimed(jobId, true, true);
    // Another process may have the same queued job (both saw it in the store): one claims it.
    if (!(await this.claim(jobId, false))) return;
    const run = this.register(jobId);
    try {
      await this.ctx.records.transition(jobId, 'submitting', 'its turn came', (job) => ({
        submittedAt: job.submittedAt ?? this.ctx.clock.now(),
      }));
    } catch (err) {
      // Cancelled (or gone, or started elsewhere) between leaving the queue and starting.
      this.runs.delete(jobId);
      await this.unclaim(jobId);
      if (!(err instanceof InvalidTransitionError || err instanceof JobNotFoundError)) {
        run.logger.error({ err }, 'could not start job');
      }
      return;
    }
    await this.execute(run);
  }

  private async continueClaimed(jobId: string, createTaken: boolean, wait: boolean) {
    if (!(await this.claim(jobId, wait))) return;
    // Read after claiming: the last holder may have moved the job on meanwhile.
    const stored = await this.ctx.records.get(jobId);
    const ran = stored ? await this.continueStored(stored, createTaken) : false;
    if (!ran) await this.unclaim(jobId);
  }

  private async claim(jobId: string, wait: boolean): Promise<boolean> {
    const fence = await this.claims.take(jobId, wait);
    if (fence) this.ctx.records.fence(jobId, fence);
    else this.ctx.logger.debug({ jobId }, 'job is claimed by another process');
    return fence !== undefined;
  }

  private async unclaim(jobId: string): Promise<void> {
    this.ctx.records.unfence(jobId);
    await this.claims.release(jobId);
  }

  /**
   * The one delicate case is `submitting` without a task id: the process died between sending
   * the create and saving its answer, or before sending at all. `createStartedAt` (saved before
   * the send) tells them apart: maybe sent → fail with the unknown-outcome message, because
   * MiniMax cannot list tasks and a second create may bill twice; never sent → create now if a
   * create was taken for this turn, else back to the queue.
   */
  private async continueStored(job: Job, createTaken: boolean): Promise<boolean> {
    if (isTerminal(job.state) || this.runs.has(job.id)) return false;
    this.ctx.records.adopt(job);
    this.ctx.logger.info({ jobId: job.id, state: job.state }, 'continuing an unfinished job');
    if (job.state === 'submitting' && !job.taskId) {
      if (job.createStartedAt !== undefined) {
        await this.ctx.records.transition(job.id, 'failed', 'restart during create', {
          error: RESTART_UNKNOWN_OUTCOME,
        });
        return false;
      }
      if (!createTaken) {
        const next = await this.ctx.records.transition(
          job.id,
          'queued',
          'create never sent; requeued',
        );
        await this.requeue(next);
        return false;
      }
    } else if (job.state === 'submitting') {
      await this.ctx.records.transition(job.id, 'generating', 'resumed with its task');
    }
    await this.execute(this.register(job.id));
    return true;
  }

  get(jobId: string): JobRun | undefined {
    return this.runs.get(jobId);
  }

  /** Tells every run that callbacks reach this process (ends waits for the first callback). */
  callbacksSeen(): void {
    for (const run of this.runs.values()) run.callbacksSeen();
  }

  /** Whether a run here polls `taskId`. */
  owns(taskId: string): boolean {
    for (const run of this.runs.values()) {
      if (this.ctx.records.cached(run.jobId)?.taskId === taskId) return true;
    }
    return false;
  }

  /** Wakes the run polling `taskId`; false when no run here owns it. */
  hint(taskId: string): boolean {
    for (const run of this.runs.values()) {
      if (this.ctx.records.cached(run.jobId)?.taskId === taskId) {
        run.hint();
        return true;
      }
    }
    return false;
  }

  /** Aborts every run for shutdown and resolves when they returned or `graceMs` passed. */
  async stopAll(graceMs: number): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.stop('shutdown');
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled(runs.map((r) => r.done)),
      this.ctx.clock.sleep(graceMs, grace.signal).catch(() => undefined),
    ]);
    grace.abort();
    const left = [...this.runs.keys()];
    if (left.length > 0) this.ctx.logger.warn({ jobIds: left }, 'runs still busy at shutdown');
  }

  private register(jobId: string): JobRun {
    const taskId = this.ctx.records.cached(jobId)?.taskId;
    const logger = this.ctx.logger.child({ jobId, ...(taskId ? { taskId } : {}) });
    const run = new JobRun(jobId, logger, this.ctx.clock);
    this.runs.set(jobId, run);
    return run;
  }

  private execute(run: JobRun): Promise<void> {
    run.done = runJob(this.ctx, run).finally(async () => {
      if (this.runs.get(run.jobId) === run) this.runs.delete(run.jobId);
      // Finished, failed or stopped for shutdown: another process may take the job at once.
      await this.unclaim(run.jobId);
    });
    return run.done;
  }
}
