import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { isTerminal, type Job } from '../jobs/job.js';

const HOUR_MS = 3_600_000;

export interface VideoJanitorOptions {
  /** DATA_DIR; videos live in `<dataDir>/videos`. */
  dataDir: string;
  /** Job lookup by id (the store): a file of an unfinished job is never touched. */
  jobs: { get(id: string): Promise<Job | undefined> };
  clock: Clock;
  logger: Logger;
  /** VIDEO_RETENTION_H in ms: how long a finished job's video is kept. */
  retentionMs: number;
  /**
   * VIDEO_LINK_TTL_H in ms when /videos links can be posted (PUBLIC_URL set), else 0: a file
   * stays at least this long after its job finished so no posted link breaks early.
   */
  linkTtlMs: number;
  /**
   * A `.part` file untouched this long belongs to a download that died: a running download
   * writes continuously and gives up after 30 s of silence. Default 2 min.
   */
  stalePartMs?: number;
}

/**
 * Keeps DATA_DIR/videos bounded (issue #12): delivered videos leave after their retention, never
 * while a link may still point at them, and the `.part` files of killed downloads are removed.
 * Decisions use the job record; a file whose record is gone is judged by its own age.
 */
export class VideoJanitor {
  private readonly dir: string;

  constructor(private readonly o: VideoJanitorOptions) {
    this.dir = join(o.dataDir, 'videos');
  }

  /**
   * At start. Only stale files go: another process on the same DATA_DIR (`generate` beside
   * `serve`) may be downloading right now.
   */
  async removeLeftovers(): Promise<number> {
    return this.sweepParts(this.stalePartMs);
  }

  /** One pass: stale `.part` files, then videos past their time. Returns files removed. */
  async sweep(): Promise<number> {
    return (await this.sweepParts(this.stalePartMs)) + (await this.sweepVideos());
  }

  private get stalePartMs(): number {
    return this.o.stalePartMs ?? 2 * 60_000;
  }

  private async sweepParts(minAgeMs: number): Promise<number> {
    let removed = 0;
    for (const name of await this.names()) {
      if (!name.endsWith('.part')) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info || this.o.clock.now() - info.mtimeMs < minAgeMs) continue;
      removed += await this.remove(path);
    }
    if (removed > 0) this.o.logger.info({ removed }, 'removed unfinished downloads');
    return removed;
  }

  private async sweepVideos(): Promise<number> {
    const now = this.o.clock.now();
    const keepMs = Math.max(this.o.retentionMs, this.o.linkTtlMs);
    let removed = 0;
    for (const name of await this.names()) {
      if (!name.endsWith('.mp4')) continue;
      const path = join(this.dir, name);
      const job = await this.o.jobs.get(name.slice(0, -4)).catch(() => undefined);
      let finishedAt: number | undefined;
      if (job) {
        if (!isTerminal(job.state)) continue;
        finishedAt = job.finishedAt ?? job.updatedAt;
      } else {
        finishedAt = (await stat(path).catch(() => undefined))?.mtimeMs;
      }
      if (finishedAt === undefined || now - finishedAt < keepMs) continue;
      removed += await this.remove(path);
    }
    if (removed > 0)
      this.o.logger.info({ removed, keptHours: keepMs / HOUR_MS }, 'removed old videos');
    return removed;
  }

  private async names(): Promise<string[]> {
    return readdir(this.dir).catch(() => []);
  }

  private async remove(path: string): Promise<number> {
    try {
      await rm(path, { force: true });
      return 1;
    } catch (err) {
      this.o.logger.warn({ err, path }, 'could not remove an old file');
      return 0;
    }
  }
}
