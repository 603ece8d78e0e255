import {
  type Job as BullJob,
  type ConnectionOptions,
  DelayedError,
  Queue,
  WaitingError,
  Worker,
} from 'bullmq';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { BullmqPositions, type EntryData } from './bullmq-positions.js';
import type {
  Dispatch,
  PositionsListener,
  QueueEntry,
  RateGate,
  TaskScheduler,
} from './task-scheduler.js';

export interface BullmqSchedulerOptions {
  /** Redis connection for the queue and the worker (e.g. `{ url: STORE_URL }`). */
  connection: ConnectionOptions;
  clock: Clock;
  logger: Logger;
  /** MAX_ACTIVE_JOBS across all instances (BullMQ global concurrency). */
  maxActive: number;
  /** Jobs this instance works on at once (BullMQ worker concurrency). Default `maxActive`. */
  concurrencyPerInstance?: number;
  /** The create gate shared by all instances (RedisRateGate). */
  gate: RateGate;
  /** BullMQ key prefix; every instance of one bot must use the same. Default `mvb`. */
  namespace?: string;
  /** Default `video-jobs`. */
  queueName?: string;
  /**
   * How long a job stays claimed by an instance that stopped renewing it (died), in ms. Default
   * 10 s. A live instance renews every half of it, also while it shuts down, so a create in
   * flight still saves its task id; only a dead (or frozen for 5 s+) instance loses its jobs.
   */
  lockDurationMs?: number;
  /**
   * How often each worker looks for jobs of dead instances, in ms. Default 5 s. A job is taken
   * over at the first check after its lock expired: at most lock + interval (15 s) after a
   * kill -9, plus the time to pick it up (failover.test.ts, bench "failover").
   */
  stalledIntervalMs?: number;
  /** How many times one job may be taken over from dead instances before BullMQ fails it. Default 50. */
  maxStalledCount?: number;
  /** How often positions are re-read while someone listens, in ms (other instances change them). Default 5 s. */
  positionsRefreshMs?: number;
  /** Pause before a job whose dispatch threw (e.g. Redis unreachable) is tried again, in ms. Default 5 s. */
  retryDelayMs?: number;
  /** How long `close()` waits for running jobs to hand themselves back, in ms. Default 30 s. */
  closeGraceMs?: number;
}

/** Failover timings (see the options): a dead instance's jobs move on within 15 s. */
export const DEFAULT_LOCK_MS = 10_000;
export const DEFAULT_STALLED_MS = 5_000;

/** BullMQ's highest priority value (2^21). */
const MAX_PRIORITY = 2_097_152;

/**
 * TaskScheduler for several instances on one Redis, on BullMQ 5. Every instance runs one Queue
 * and one Worker; a BullMQ job (id = our job id, so enqueueing twice is a no-op) stays active
 * for the job's whole life, from its turn to done, so BullMQ's stalled-job check hands the jobs
 * of a dead instance to another one, whose engine resumes them from the stored state.
 *
 * - MAX_ACTIVE_JOBS holds for all instances through the queue's global concurrency.
 * - MINIMAX_RPM holds through the shared gate, taken by the worker before `dispatch`.
 * - Fairness is approximated with priorities: a job gets `1 + jobs of its user already waiting`,
 *   and BullMQ serves lower values first (FIFO within one value). A user with five waiting jobs
 *   therefore gets one turn, then someone with one job, then their second... Unlike the
 *   in-memory FairQueue there is no per-channel round-robin within one user, and a job's
 *   priority is fixed when it is enqueued.
 */
export class BullmqScheduler implements TaskScheduler {
  readonly createGate: RateGate;
  private readonly options: BullmqSchedulerOptions;
  private readonly logger: Logger;
  private readonly queue: Queue<EntryData>;
  private readonly prefix: string;
  private readonly queueName: string;
  private worker: Worker<EntryData> | undefined;
  private readonly processing = new Set<Promise<void>>();
  private dispatch: Dispatch | undefined;
  private readonly stopping = new AbortController();
  private readonly local = new Set<string>();
  private readonly positionsOf: BullmqPositions;

  constructor(options: BullmqSchedulerOptions) {
    this.options = options;
    this.logger = options.logger.child({ component: 'scheduler' });
    this.createGate = options.gate;
    this.prefix = options.namespace ?? 'mvb';
    this.queueName = options.queueName ?? 'video-jobs';
    this.queue = new Queue<EntryData>(this.queueName, {
      connection: options.connection,
      prefix: this.prefix,
    });
    this.queue.on('error', (err) => this.logger.warn({ err }, 'queue connection error'));
    this.positionsOf = new BullmqPositions({
      queue: this.queue,
      logger: this.logger,
      refreshMs: options.positionsRefreshMs ?? 5_000,
    });
  }

  async start(dispatch: Dispatch): Promise<void> {
    if (this.worker) return;
    this.dispatch = dispatch;
    await this.queue.setGlobalConcurrency(this.options.maxActive);
    const processor = (job: BullJob<EntryData>, token?: string) => {
      const work = this.process(job, token);
      const tracked = work.catch(() => undefined);
      this.processing.add(tracked);
      void tracked.finally(() => this.processing.delete(tracked));
      return work;
    };
    const worker = new Worker<EntryData>(this.queueName, processor, {
      connection: this.options.connection,
      prefix: this.prefix,
      concurrency: this.options.concurrencyPerInstance ?? this.options.maxActive,
      lockDuration: this.options.lockDurationMs ?? DEFAULT_LOCK_MS,
      stalledInterval: this.options.stalledIntervalMs ?? DEFAULT_STALLED_MS,
      maxStalledCount: this.options.maxStalledCount ?? 50,
    });
    worker.on('error', (err) => this.logger.warn({ err }, 'worker error'));
    worker.on('failed', (job, err) =>
      this.logger.error({ err, jobId: job?.id }, 'queue entry failed'),
    );
    worker.on('stalled', (jobId) =>
      this.logger.warn({ jobId }, 'job of a stopped instance taken over'),
    );
    this.worker = worker;
    await worker.waitUntilReady();
    this.positionsOf.start();
  }

  /**
   * Stops taking jobs and aborts gate waits. Jobs still running hand themselves back to the
   * queue when their dispatch returns (the engine, the caller, stops them next), so another
   * instance continues them at once; `close()` waits for that. Locks keep being renewed meanwhile.
   */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort(new Error('scheduler stopped'));
    this.positionsOf.stop();
    await this.worker?.pause(true).catch((err: unknown) => {
      this.logger.warn({ err }, 'could not pause the worker');
    });
  }

  /**
   * Stops, waits up to `closeGraceMs` for running jobs to hand themselves back, then closes the
   * connections. A job still running after that keeps its claim until the lock expires.
   */
  async close(): Promise<void> {
    await this.stop();
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled(this.processing),
      this.options.clock.sleep(this.options.closeGraceMs ?? 30_000, grace.signal).catch(() => {}),
    ]);
    grace.abort();
    await this.worker?.close(true).catch((err: unknown) => {
      this.logger.warn({ err }, 'worker did not close cleanly');
    });
    // A queue closed while still connecting leaves BullMQ's own setup commands to reject
    // unhandled ("Connection is closed"): let it finish connecting first.
    await this.queue.waitUntilReady().catch(() => undefined);
    await this.queue.close().catch((err: unknown) => this.logger.warn({ err }, 'queue close'));
  }

  async enqueue(entry: QueueEntry): Promise<void> {
    const waiting = await this.positionsOf.waiting();
    const ahead = waiting.filter((j) => j.data.userKey === entry.userKey).length;
    const data: EntryData = {
      userKey: entry.userKey,
      channelKey: entry.channelKey,
      createdAt: entry.createdAt,
    };
    await this.queue.add('video', data, {
      jobId: entry.jobId,
      priority: Math.min(MAX_PRIORITY, 1 + ahead),
      // Job records live in the store; the queue keeps only what is unfinished.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 86_400 },
    });
    this.positionsOf.refresh();
  }

  async remove(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return false;
    try {
      await job.remove();
    } catch (err) {
      // Taken by a worker meanwhile; the engine's state check stops it at dispatch.
      this.logger.debug({ err, jobId }, 'queue entry left the queue before removal');
      return false;
    }
    this.positionsOf.refresh();
    return true;
  }

  positions(): Promise<ReadonlyMap<string, number>> {
    return this.positionsOf.read();
  }

  onPositions(listener: PositionsListener): () => void {
    return this.positionsOf.on(listener);
  }

  /**
   * Another live instance may be running this job: hand it to the queue, which ignores an entry
   * it still holds and dispatches a lost one (its `dispatchedAt` skips the gate).
   */
  async recover(entry: QueueEntry): Promise<void> {
    await this.enqueue(entry);
  }

  /** Counts `work` as active on this instance only: takeovers already hold a BullMQ slot. */
  hold(jobId: string, work: Promise<unknown>): void {
    this.local.add(jobId);
    const release = () => this.local.delete(jobId);
    work.then(release, release);
  }

  /** Jobs this instance is working on (or waiting on the gate for). */
  activeCount(): number {
    return this.local.size;
  }

  private async process(job: BullJob<EntryData>, token: string | undefined): Promise<void> {
    const jobId = job.id!;
    this.local.add(jobId);
    let failure: unknown;
    try {
      if (job.data.dispatchedAt === undefined) {
        await this.createGate.acquire(jobId, this.stopping.signal);
        await job.updateData({ ...job.data, dispatchedAt: this.options.clock.now() });
        this.positionsOf.refresh();
      } else {
        this.logger.info({ jobId }, 'continuing a job another instance left');
      }
      // Fencing seam (#11): `token` is BullMQ's lock on this job, renewed while we run it. A
      // job-store claim with a fencing token belongs here, handed to `dispatch`, so that an
      // instance that lost the lock (frozen past it) cannot post or upload any more.
      await this.dispatch!(jobId);
    } catch (err) {
      failure = err;
    } finally {
      this.local.delete(jobId);
      // A job cancelled (or handed back) before its create still holds the reservation taken here.
      await this.createGate
        .release(jobId)
        .catch((err: unknown) => this.logger.warn({ err, jobId }, 'could not release a create'));
    }
    if (this.stopping.signal.aborted) {
      // Shutdown cut the job short: give it back now rather than after the lock expires.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (failure !== undefined) {
      // Completing the entry would lose the job (its record stays unfinished): try again later.
      this.logger.error({ err: failure, jobId }, 'could not run job; retrying soon');
      await job.moveToDelayed(
        this.options.clock.now() + (this.options.retryDelayMs ?? 5_000),
        token,
      );
      throw new DelayedError();
    }
  }
}
