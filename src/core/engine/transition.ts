import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { BotError } from '../errors.js';
import { canTransition, isTerminal, type Job, type JobState } from '../jobs/job.js';
import { type Fence, JobConflictError, type JobStore } from '../jobs/job-store.js';
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
      message: `job ${jobId}: ${from} -> ${to} is not allowed`,
    });
  }
}

export class JobNotFoundError extends BotError {
  override name = 'JobNotFoundError';
  constructor(readonly jobId: string) {
    super({
      code: 'job_not_found',
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
  /** Fields a job gets in the same write that ends it (its final cost). */
  onFinish?: (job: Job) => JobPatch;
}

/** A write of a job this process no longer holds: another process took it over. */
export class LostClaimError extends BotError {
  override name = 'LostClaimError';
  constructor(readonly jobId: string) {
    super({ code: 'lost_claim', textKey: 'internal', message: `job ${jobId}: claim lost` });
  }
}

/** Compare-and-set rounds before a write gives up (each lost round means someone else wrote). */
const CAS_ROUNDS = 20;

/**
 * The only writer of job records. Every write is a compare-and-set against the version read,
 * retried on a fresh read when another writer (a cancel, another instance) came first, so the
 * edge is always checked against the state actually stored: a cancel wins over a racing step,
 * and a job in a terminal state never moves again. Writes of one job in this process are also
 * serialised, which keeps conflicts rare. Runs of this process write with the job's fence.
 */
export class JobRecords {
  private readonly live = new Map<string, Job>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly fences = new Map<string, Fence>();

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
      const stored = await this.options.store.insert(job);
      this.remember(stored);
      this.options.hub.emit(stored, 'state');
      return stored;
    });
  }

  /** From now on this process's writes of `jobId` carry `fence` (its claim). */
  fence(jobId: string, fence: Fence): void {
    this.fences.set(jobId, fence);
  }

  /** The run ended: its writes no longer need the claim. */
  unfence(jobId: string): void {
    this.fences.delete(jobId);
  }

  /** Whether this process still holds the job (checked right before posting or uploading). */
  async holds(jobId: string): Promise<boolean> {
    const fence = this.fences.get(jobId);
    return !fence || this.options.store.claims.holds(jobId, fence);
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
      const write = (current: Job): Job => {
        if (!canTransition(current.state, to))
          throw new InvalidTransitionError(jobId, current.state, to);
        const now = this.options.clock.now();
        const fields = typeof patch === 'function' ? patch(current) : patch;
        const next: Job = { ...current, ...fields, state: to, reason, updatedAt: now };
        if (isTerminal(to) && next.finishedAt === undefined) next.finishedAt = now;
        return isTerminal(to) && this.options.onFinish
          ? { ...next, ...this.options.onFinish(next) }
          : next;
      };
      const loaded = await this.load(jobId);
      const { stored: next, previous: current } = await this.compareAndSet(jobId, loaded, write);
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
      const { stored } = await this.compareAndSet(jobId, current, (job) => {
        const fields = typeof patch === 'function' ? patch(job) : patch;
        return { ...job, ...fields, updatedAt: this.options.clock.now() };
      });
      this.remember(stored);
      return stored;
    });
  }

  /**
   * Builds the next record from the stored one and writes it if nobody wrote meanwhile; else
   * builds again from what is stored now (`build` may throw, e.g. an edge no longer allowed).
   */
  private async compareAndSet(
    jobId: string,
    first: Job,
    build: (current: Job) => Job,
  ): Promise<{ stored: Job; previous: Job }> {
    let current = first;
    for (let round = 1; ; round++) {
      const next = build(current);
      try {
        const stored = await this.options.store.replace(next, this.fences.get(jobId));
        return { stored, previous: current };
      } catch (err) {
        if (!(err instanceof JobConflictError)) throw err;
        if (err.reason === 'fence') throw new LostClaimError(jobId);
        if (!err.current) throw new JobNotFoundError(jobId);
        if (round >= CAS_ROUNDS) throw err;
        current = err.current;
      }
    }
  }

  /** Resolves once every write started so far has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.locks.values()]);
  }

  private remember(job: Job): void {
    if (isTerminal(job.state)) {
      this.live.delete(job.id);
      this.fences.delete(job.id);
      return;
    }
    this.live.set(job.id, job);
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
