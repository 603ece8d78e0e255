import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Deliverer, DeliveryResult, VideoFile } from './delivery.js';
import type { Job } from './jobs/job.js';

/**
 * Finishes jobs started from the terminal (`origin.platform === 'cli'`): copies the MP4 to the
 * `--out` path kept in `origin.ref.outPath`, or leaves it in DATA_DIR/videos. Registered by every
 * app, so `serve` can finish a `generate` job that was interrupted (issue #4). Copying again after
 * a restart writes the same bytes, which keeps it idempotent.
 */
export function createFileDeliverer(options: { logger: Logger }): Deliverer {
  const logger = options.logger.child({ component: 'cli-delivery' });
  return {
    async deliver(job: Job, video: VideoFile): Promise<DeliveryResult> {
      const outPath =
        typeof job.origin.ref['outPath'] === 'string' ? job.origin.ref['outPath'] : '';
      let path = resolve(video.path);
      if (outPath) {
        await mkdir(dirname(outPath), { recursive: true });
        await copyFile(video.path, outPath);
        path = outPath;
      }
      logger.info({ jobId: job.id, path, bytes: video.bytes }, 'video saved');
      return { resultUrl: path };
    },
  };
}
