import type { Job } from './jobs/job.js';

/** The finished MP4 on disk, ready to hand to a platform. */
export interface VideoFile {
  path: string;
  bytes: number;
  /** A link to offer when the file is too big to upload: PUBLIC_URL/videos/<id>.mp4, else MiniMax's. */
  fallbackUrl?: string;
  /** When `fallbackUrl` stops working (epoch ms), if known. */
  fallbackUrlExpiresAt?: number;
}

export interface DeliveryResult {
  /** Where the user sees the video (message link, file permalink, or the fallback link). */
  resultUrl?: string;
  /** Adapter data to persist with the job (e.g. uploaded message id), merged into origin.ref. */
  ref?: Record<string, unknown>;
}

/**
 * The port a platform adapter implements so the core can finish a job there. Must be idempotent:
 * after a restart during `uploading`, it is called again and must not post the video twice
 * (check `job.origin.ref` for what was already done).
 */
export interface Deliverer {
  deliver(job: Job, video: VideoFile): Promise<DeliveryResult>;
}
