import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { BotError } from '../errors.js';
import { canTransition, isTerminal, type Job, type JobState } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ProgressHub } from './progress-hub.js';

/** A state change the lifecycle does not allow (e.g. the job was cancelled meanwhile). */
export class InvalidTransitionError extends BotError {
  override name = 'InvalidTransitionError';
  constructor(
    readonly jobId: string,
    readonly from: JobState,
    readonly to: JobState,
  ) {
    super({
      code: 'invalid_transition',
      userMessage: 'This video has already moved on; nothing was changed.',
      userMessageZh: '此视频的状态已经变化，未做任何更改。',
      message: `job ${jobId}: ${from} -> ${to} is not allowed`,
    });
  }
}

export class JobNotFoundError extends BotError {
  override name = 'JobNotFoundError';
  constructor(readonly jobId: string) {
    super({
      code: 'job_not_found',
      userMessage: 'That video job no longer exists.',
      userMessageZh: '该视频任务已不存在。',
    });
  }
}

export type JobPatch = Partial<Omit<Job, 'id' | 'state'>>;

export interface JobRecordsOptions {
  store: JobStore;
  clock: Clock;
  logger: Logger;
  hub: ProgressHub;
  /** Called after a job reached a terminal state (image retention, cleanup). */
  onTerminal?: (job: Job) => void;
}

/**
 * The only writer of job records. Writes of one job are serialised, so a cancel and the runner
 * cannot overwrite each other; `transition` checks the edge, saves, then emits, in that order.
 */
export class JobRecords {
  private readonly live = new Map<string, Job>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: JobRecordsOptions) {}

  /** The stored record: the store is the truth, since other processes may write it too. */
  async get(jobId: string): Promise<Job | undefined> {
    return this.options.store.get(jobId);
  }

  /** Jobs of this process that are not terminal (cached snapshots). */
  cached(jobId: string): Job | undefined {
    return this.live.get(jobId);
  }

  /** Drops cached snapshots for which `keep` is false (see JobEngine). */
  forgetUnless(keep: (jobId: string) => boolean): void {
    for (const jobId of this.live.keys()) if (!keep(jobId)) this.live.delete(jobId);
  }

  /** Stores a new job and announces it as a state event with no `from`. */
  async insert(job: Job): Promise<Job> {
    return this.locked(job.id, async () => {
      await this.options.store.save(job);
      this.remember(job);
      this.options.hub.emit(job, 'state');
      return job;
    });
  }

  /** Adopts a job loaded at start so later writes see it. */
  adopt(job: Job): void {
    this.remember(job);
  }

  /** Checks the edge, saves, then emits. Throws InvalidTransitionError when the edge is not allowed. */
  async transition(
    jobId: string,
    to: JobState,
    reason: string,
    patch: JobPatch | ((job: Job) => JobPatch) = {},
  ): Promise<Job> {
    return this.locked(jobId, async () => {
      const current = await this.load(jobId);
      if (!canTransition(current.state, to))
        throw new InvalidTransitionError(jobId, current.state, to);
      const now = this.options.clock.now();
      const fields = typeof patch === 'function' ? patch(current) : patch;
      const next: Job = { ...current, ...fields, state: to, reason, updatedAt: now };
      if (isTerminal(to) && next.finishedAt === undefined) next.finishedAt = now;
      await this.options.store.save(next);
      this.remember(next);
      this.options.logger.info(
        { jobId, taskId: next.taskId, from: current.state, to, reason },
        'job state changed',
      );
      this.options.hub.emit(next, 'state', { from: current.state });
      if (isTerminal(to)) this.options.onTerminal?.(next);
      return next;
    });
  }

  /** Saves fields without a state change (task id, poll count, origin ref...). */
  async update(jobId: string, patch: JobPatch | ((job: Job) => JobPatch)): Promise<Job> {
    return this.locked(jobId, async () => {
      const current = await this.load(jobId);
      const fields = typeof patch === 'function' ? patch(current) : patch;
      const next: Job = { ...current, ...fields, updatedAt: this.options.clock.now() };
      await this.options.store.save(next);
      this.remember(next);
      return next;
    });
  }

  /** Resolves once every write started so far has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.locks.values()]);
  }

  private remember(job: Job): void {
    if (isTerminal(job.state)) this.live.delete(job.id);
    else this.live.set(job.id, job);
  }

  private async load(jobId: string): Promise<Job> {
    const job = await this.options.store.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  }

  private locked<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(jobId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(jobId, tail);
    void tail.then(() => {
      if (this.locks.get(jobId) === tail) this.locks.delete(jobId);
    });
    return result;
  }
}
