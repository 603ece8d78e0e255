import type { ProgressEvent } from '../progress.js';
import type { VideoService } from '../video-service.js';

/**
 * The latest queue position of every waiting job, learned from the engine's `position` events,
 * so `/video status` can say "3rd in line" without reaching into the scheduler.
 */
export class QueuePositions {
  private readonly positions = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(service: Pick<VideoService, 'onProgress'>) {
    this.unsubscribe = service.onProgress((event) => this.onEvent(event));
  }

  /** 1-based position of a queued job, if one was announced. */
  of(jobId: string): number | undefined {
    return this.positions.get(jobId);
  }

  stop(): void {
    this.unsubscribe();
    this.positions.clear();
  }

  private onEvent(event: ProgressEvent): void {
    if (event.state !== 'queued') this.positions.delete(event.jobId);
    else if (event.queuePosition !== undefined)
      this.positions.set(event.jobId, event.queuePosition);
  }
}
