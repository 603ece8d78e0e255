import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckedImage, ImageMime, ImageSlot } from '../request-types.js';
import type { JobStore } from './job-store.js';

export type KeptImages = Partial<Record<ImageSlot, CheckedImage>>;

/**
 * Where a job's input images wait for its create and then, for a day, for Regenerate and
 * Variations (issue #12: kept once, never as unbounded base64 in Redis). Apart from the JobStore
 * so a store rewrite and this policy do not depend on each other.
 */
export interface ImageKeeper {
  save(jobId: string, images: KeptImages): Promise<void>;
  /** What is still kept; missing slots were never kept or are gone. */
  load(jobId: string): Promise<KeptImages>;
  /** The task exists: the images are only needed for remakes from now on. */
  created(jobId: string): Promise<void>;
  delete(jobId: string): Promise<void>;
}

const SLOT = /^(first|last|subject|ref[2-9])\.(jpeg|png|webp)\.(\d+)x(\d+)$/;

/**
 * Embedded mode: one file per image under `DATA_DIR/images/<jobId>/`, its type and size in the
 * name. One process owns DATA_DIR, so the creating instance always finds them.
 */
export class FileImageKeeper implements ImageKeeper {
  constructor(private readonly dataDir: string) {}

  private dir(jobId: string): string {
    return join(this.dataDir, 'images', jobId);
  }

  async save(jobId: string, images: KeptImages): Promise<void> {
    await mkdir(this.dir(jobId), { recursive: true });
    for (const [slot, image] of Object.entries(images) as [ImageSlot, CheckedImage][]) {
      const mime = image.mime.replace('image/', '');
      const name = `${slot}.${mime}.${image.width}x${image.height}`;
      await writeFile(join(this.dir(jobId), name), image.bytes);
    }
  }

  async load(jobId: string): Promise<KeptImages> {
    const images: KeptImages = {};
    for (const name of await readdir(this.dir(jobId)).catch(() => [] as string[])) {
      const m = SLOT.exec(name);
      if (!m) continue;
      const bytes = await readFile(join(this.dir(jobId), name)).catch(() => undefined);
      if (!bytes) continue;
      images[m[1] as ImageSlot] = {
        bytes,
        mime: `image/${m[2]}` as ImageMime,
        width: Number(m[3]),
        height: Number(m[4]),
      };
    }
    return images;
  }

  async created(_jobId: string): Promise<void> {}

  async delete(jobId: string): Promise<void> {
    await rm(this.dir(jobId), { recursive: true, force: true });
  }
}

/**
 * Redis mode: every instance must reach the images for the create, so they go through the
 * shared store; once the task exists only jobs whose images total at most `maxKeptBytes` keep
 * them for remakes (default 4 MB), so Redis never holds more than that per job.
 */
export class StoreImageKeeper implements ImageKeeper {
  private readonly maxKeptBytes: number;

  constructor(
    private readonly store: Pick<JobStore, 'saveImages' | 'loadImages' | 'deleteImages'>,
    options: { maxKeptBytes?: number } = {},
  ) {
    this.maxKeptBytes = options.maxKeptBytes ?? 4 * 1_048_576;
  }

  save(jobId: string, images: KeptImages): Promise<void> {
    return this.store.saveImages(jobId, images);
  }

  load(jobId: string): Promise<KeptImages> {
    return this.store.loadImages(jobId);
  }

  async created(jobId: string): Promise<void> {
    const images = await this.store.loadImages(jobId);
    const total = Object.values(images).reduce((n, image) => n + image.bytes.length, 0);
    if (total > this.maxKeptBytes) await this.store.deleteImages(jobId);
  }

  delete(jobId: string): Promise<void> {
    return this.store.deleteImages(jobId);
  }
}
