import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { ImageKeeper } from '../jobs/image-keeper.js';
import type { Job } from '../jobs/job.js';
import type { JobStore } from '../jobs/job-store.js';

/**
 * Input images are kept after the task exists so Regenerate and Variations can resend them, but
 * only for a day after the job was created: long enough for "try again", short enough not to
 * hoard users' photos. (The store's own image TTL is the backstop if this sweep never runs.)
 */
export const IMAGE_RETENTION_MS = 24 * 3_600_000;
const KEY = 'engine:image-retention';

interface Pending {
  jobId: string;
  deleteAt: number;
}

/** Schedules image deletion for finished jobs and sweeps what is due. */
export class ImageRetention {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      store: JobStore;
      images: Pick<ImageKeeper, 'delete'>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  isExpired(job: Job): boolean {
    return this.options.clock.now() >= job.createdAt + IMAGE_RETENTION_MS;
  }

  /** Called when a job became terminal. */
  schedule(job: Job): void {
    if (job.request.imageSlots.length === 0) return;
    this.serial(async () => {
      const list = (await this.options.store.getValue<Pending[]>(KEY)) ?? [];
      list.push({ jobId: job.id, deleteAt: job.createdAt + IMAGE_RETENTION_MS });
      await this.options.store.setValue(KEY, list);
    });
  }

  /** Deletes the images whose day is over. */
  sweep(): Promise<void> {
    return this.serial(async () => {
      const list = (await this.options.store.getValue<Pending[]>(KEY)) ?? [];
      const now = this.options.clock.now();
      const due = list.filter((p) => p.deleteAt <= now);
      if (due.length === 0) return;
      for (const p of due) await this.options.images.delete(p.jobId);
      await this.options.store.setValue(
        KEY,
        list.filter((p) => p.deleteAt > now),
      );
      this.options.logger.debug({ count: due.length }, 'deleted input images of old jobs');
    });
  }

  /** Resolves when scheduled writes are done. */
  settled(): Promise<unknown> {
    return this.chain;
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'image retention update failed');
    });
    this.chain = next;
    return next;
  }
}
