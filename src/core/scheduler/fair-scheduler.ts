import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { FairQueue } from './fair-queue.js';
import { CreateWindowGate } from './rate-gate.js';
import type {
  Dispatch,
  PositionsListener,
  QueueEntry,
  RateGate,
  TaskScheduler,
} from './task-scheduler.js';

/** Waiting jobs above which queue positions are published once per tick (see publish()). */
const COALESCE_ABOVE = 200;

export interface FairSchedulerOptions {
  clock: Clock;
  logger: Logger;
  /** MAX_ACTIVE_JOBS: jobs between submitting and done at once. */
  maxActive: number;
  /** MINIMAX_RPM, used when no `gate` is given. */
  createsPerMinute: number;
  /** Shared gate of creates; default an in-memory CreateWindowGate of `createsPerMinute`. */
  gate?: RateGate;
}

/**
 * The in-process TaskScheduler: a fair queue, a cap on active jobs and a sliding-window gate on
 * creates. A job leaves the queue only when both a slot and a create are available, so the
 * positions users see stay true while the rate limit holds them back.
 */
export class FairScheduler implements TaskScheduler {
  readonly createGate: RateGate;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxActive: number;
  private readonly queue = new FairQueue();
  private readonly active = new Set<string>();
  private readonly listeners = new Set<PositionsListener>();
  private dispatch: Dispatch | undefined;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private pending = false;
  private wakeCurrent: (() => void) | undefined;
  private publishScheduled = false;

  constructor(options: FairSchedulerOptions) {
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'scheduler' });
    this.maxActive = options.maxActive;
    this.createGate =
      options.gate ??
      new CreateWindowGate({ perMinute: options.createsPerMinute, clock: options.clock });
  }

  async start(dispatch: Dispatch): Promise<void> {
    if (this.running) return;
    this.dispatch = dispatch;
    this.running = true;
    this.loopDone = this.loop().catch((err: unknown) =>
      this.logger.error({ err }, 'scheduler loop died'),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
  }

  async enqueue(entry: QueueEntry): Promise<void> {
    this.queue.add(entry);
    this.publish();
    this.wake();
  }

  async remove(jobId: string): Promise<boolean> {
    const removed = this.queue.remove(jobId);
    if (removed) {
      this.publish();
      this.wake();
    }
    return removed;
  }

  async positions(): Promise<ReadonlyMap<string, number>> {
    return this.positionMap();
  }

  onPositions(listener: PositionsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hold(jobId: string, work: Promise<unknown>): void {
    this.active.add(jobId);
    const release = () => {
      this.active.delete(jobId);
      this.wake();
    };
    work.then(release, release);
  }

  /** This process is the only owner of its jobs: continue the job now, in a slot. */
  async recover(entry: QueueEntry, continueHere: () => Promise<void>): Promise<void> {
    this.hold(entry.jobId, continueHere());
  }

  activeCount(): number {
    return this.active.size;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (this.queue.size === 0 || this.active.size >= this.maxActive) {
        await this.pause();
        continue;
      }
      // The head job's own reservation: it carries on to the create step, which settles it.
      const head = this.queue.peek()!;
      const waitMs = await this.createGate.tryAcquire(head.jobId);
      if (waitMs > 0) {
        await this.pause(waitMs);
        continue;
      }
      // The queue may have changed while the gate answered; an unused reservation is given back.
      const entry = this.queue.next();
      if (entry?.jobId !== head.jobId || !this.running) {
        await this.createGate.release(head.jobId);
        continue;
      }
      this.publish();
      this.hold(entry.jobId, this.runDispatch(entry.jobId));
    }
  }

  private async runDispatch(jobId: string): Promise<void> {
    try {
      await this.dispatch!(jobId);
    } catch (err) {
      this.logger.error({ err, jobId }, 'dispatched job threw');
    }
    // A job cancelled before its create still holds the reservation taken for it.
    await this.createGate
      .release(jobId)
      .catch((err: unknown) => this.logger.warn({ err, jobId }, 'could not release a create'));
  }

  /** Sleeps until `ms` passed (or forever) unless something changes first. */
  private pause(ms?: number): Promise<void> {
    if (this.pending || !this.running) {
      this.pending = false;
      return Promise.resolve();
    }
    const ctl = new AbortController();
    this.wakeCurrent = () => ctl.abort();
    const done =
      ms === undefined
        ? new Promise<void>((resolve) =>
            ctl.signal.addEventListener('abort', () => resolve(), { once: true }),
          )
        : this.clock.sleep(ms, ctl.signal).catch(() => undefined);
    return done.finally(() => {
      this.wakeCurrent = undefined;
      this.pending = false;
    });
  }

  private wake(): void {
    const wake = this.wakeCurrent;
    if (wake) {
      this.wakeCurrent = undefined;
      wake();
    } else this.pending = true;
  }

  private positionMap(): Map<string, number> {
    return new Map(this.queue.order().map((jobId, i) => [jobId, i + 1]));
  }

  private publish(): void {
    if (this.listeners.size === 0) return;
    // Positions cost O(waiting jobs): with thousands waiting, one publish per tick instead of one
    // per change, or a burst of N submits or dispatches would cost O(N²).
    if (this.queue.size > COALESCE_ABOVE) {
      if (!this.publishScheduled) {
        this.publishScheduled = true;
        setImmediate(() => {
          this.publishScheduled = false;
          this.publishNow();
        });
      }
      return;
    }
    this.publishNow();
  }

  private publishNow(): void {
    if (this.listeners.size === 0) return;
    const positions = this.positionMap();
    for (const listener of this.listeners) {
      try {
        listener(positions);
      } catch (err) {
        this.logger.warn({ err }, 'positions listener threw');
      }
    }
  }
}
