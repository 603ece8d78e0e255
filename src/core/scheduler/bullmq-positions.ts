import type { Job as BullJob, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { PositionsListener } from './task-scheduler.js';

/** What the BullMQ scheduler keeps with each queue entry. */
export interface EntryData {
  userKey: string;
  channelKey: string;
  createdAt: number;
  /** Set once a create was taken from the gate for this job: a takeover must not take another. */
  dispatchedAt?: number;
}

export interface BullmqPositionsOptions {
  queue: Queue<EntryData>;
  logger: Logger;
  /** How often positions are re-read while someone listens, in ms. */
  refreshMs: number;
}

/**
 * Queue positions of a BullMQ queue that several instances change: read from Redis after every
 * local change and every `refreshMs` (other instances' changes), published only when different.
 */
export class BullmqPositions {
  private readonly listeners = new Set<PositionsListener>();
  private lastPublished = '';
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;

  constructor(private readonly options: BullmqPositionsOptions) {}

  start(): void {
    this.timer = setInterval(() => this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  on(listener: PositionsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * 1-based positions: jobs already in a worker but still waiting for a create come first (they
   * are next), then the waiting ones in the order BullMQ serves them.
   */
  async read(): Promise<ReadonlyMap<string, number>> {
    const active = await this.options.queue.getJobs(['active'], 0, -1, true);
    const atGate = active
      .filter((j) => j.data.dispatchedAt === undefined)
      .sort((a, b) => a.timestamp - b.timestamp);
    const ids = [...atGate, ...(await this.waiting())].map((j) => j.id!);
    return new Map(ids.map((id, i) => [id, i + 1]));
  }

  /** Waiting jobs in the order BullMQ serves them: plain waiting list first, then by priority. */
  async waiting(): Promise<BullJob<EntryData>[]> {
    const { queue } = this.options;
    const [plain, prioritized] = await Promise.all([
      queue.getJobs(['wait'], 0, -1, true),
      queue.getJobs(['prioritized'], 0, -1, true),
    ]);
    return [...plain, ...prioritized];
  }

  /** Re-reads and publishes if changed; at most one read at a time, coalescing requests. */
  refresh(): void {
    if (this.listeners.size === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.read()
      .then((positions) => this.publish(positions))
      .catch((err: unknown) => this.options.logger.warn({ err }, 'could not read queue positions'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  private publish(positions: ReadonlyMap<string, number>): void {
    const key = JSON.stringify([...positions]);
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    for (const listener of this.listeners) {
      try {
        listener(positions);
      } catch (err) {
        this.options.logger.warn({ err }, 'positions listener threw');
      }
    }
  }
}
