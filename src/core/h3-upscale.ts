import { InputError } from './errors.js';
import type { Job } from './jobs/job.js';
import type { VideoRequest } from './request-types.js';

/**
 * Whether a job's video offers "Upscale to 2K": a 768P MiniMax-H3 video (H3-Max has no 2K).
 * `uploading` counts: the finished message is drawn while the video is being posted.
 */
export function canUpscale(job: Job): boolean {
  return (
    (job.state === 'done' || job.state === 'uploading') &&
    job.request.model === 'MiniMax-H3' &&
    (job.request.resolution ?? '768P') === '768P' &&
    job.taskId !== undefined &&
    !job.request.upscaleOf
  );
}

/** The request of the 2K re-render of `source`. */
export function upscaleOf(source: Job): VideoRequest {
  if (source.state !== 'done' || !canUpscale(source))
    throw new InputError({ code: 'h3_upscale_not_possible' });
  const { variation: _v, enhance: _e, ...plain } = source.request;
  return {
    ...plain,
    // The enhanced prompt is what made the 768P video; the re-render describes the same one.
    prompt: source.enhancedPrompt ?? source.request.prompt,
    resolution: '2K',
    imageSlots: [],
    upscaleOf: { jobId: source.id, taskId: source.taskId! },
  };
}
