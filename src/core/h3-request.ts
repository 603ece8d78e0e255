import { cameraCommandsIn } from './camera.js';
import { InputError } from './errors.js';
import { sortMedia } from './h3-media.js';
import type { V2Model } from './h3-models.js';
import { toDataUrl } from './images.js';
import type { CreateV2Body, V2ContentItem } from './minimax/types.js';
import {
  IMAGE_SLOTS,
  type ImageSlot,
  type Mode,
  RATIOS,
  type Ratio,
  type RawVideoRequest,
  type Resolution,
  type ValidatedRequest,
  type VideoRequest,
} from './request-types.js';

/** The "check before paying" table of research/minimax-h3.md §6, per model. */
export const H3_RULES: Readonly<
  Record<V2Model, { resolutions: Resolution[]; min: number; max: number }>
> = {
  'MiniMax-H3': { resolutions: ['768P', '2K'], min: 4, max: 15 },
  'MiniMax-H3-Max': { resolutions: ['480P', '768P'], min: 5, max: 15 },
};
export const H3_MAX_PROMPT_CHARS = 7_000;
export const H3_DEFAULT_DURATION = 6;
export const H3_DEFAULT_RESOLUTION: Resolution = '768P';
/** A text-only video needs a concrete ratio; the landscape default of most players. */
export const H3_DEFAULT_RATIO: Ratio = '16:9';

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function pickResolution(raw: string | undefined, model: V2Model): Resolution {
  const { resolutions } = H3_RULES[model];
  if (!present(raw)) return H3_DEFAULT_RESOLUTION;
  const m = /^\s*(480|768|2k)\s*p?\s*$/i.exec(raw);
  const value = m ? (m[1]!.toLowerCase() === '2k' ? '2K' : `${m[1]}P`) : undefined;
  if (!value || !resolutions.includes(value as Resolution))
    throw new InputError({
      code: 'h3_resolution',
      params: { model, allowed: resolutions.join(' or ') },
    });
  return value as Resolution;
}

function pickDuration(raw: number | string | undefined, model: V2Model): number {
  const { min, max } = H3_RULES[model];
  if (raw === undefined || String(raw).trim() === '') return Math.max(min, H3_DEFAULT_DURATION);
  const m = /^\s*(\d+)\s*(s|sec|secs|seconds?|秒)?\s*$/i.exec(String(raw));
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError({ code: 'h3_duration', params: { model, min, max } });
  return n;
}

/** Text alone: a concrete ratio (default 16:9). Frames: MiniMax follows the frame, none sent. References: optional. */
function pickRatio(
  raw: string | undefined,
  inputs: 'text' | 'frames' | 'references',
): Ratio | undefined {
  const value = present(raw) ? raw.trim().toLowerCase().replace(/\s+/g, '').replace('/', ':') : '';
  if (value && !(RATIOS as readonly string[]).includes(value))
    throw new InputError({
      code: 'h3_ratio',
      params: { value: raw!.trim(), allowed: RATIOS.join(', ') },
    });
  if (inputs === 'frames') return undefined;
  if (inputs === 'references') return value ? (value as Ratio) : undefined;
  if (value === 'adaptive') throw new InputError({ code: 'h3_ratio_text_only' });
  return (value || H3_DEFAULT_RATIO) as Ratio;
}

/**
 * A MiniMax-H3 request, checked before any paid call. Files are sorted into frames and
 * references by h3-media.ts; with frames the ratio follows the frame (MiniMax ignores it), so it
 * is not sent. Clips must have been probed (media-probe.ts `withProbes`).
 */
export function validateV2Request(raw: RawVideoRequest, model: V2Model): ValidatedRequest {
  const prompt = (raw.prompt ?? '').trim();
  if (prompt === '') throw new InputError({ code: 'h3_prompt_empty' });
  const length = [...prompt].length;
  if (length > H3_MAX_PROMPT_CHARS)
    throw new InputError({
      code: 'h3_prompt_too_long',
      params: { length, over: length - H3_MAX_PROMPT_CHARS, max: H3_MAX_PROMPT_CHARS },
    });
  if (present(raw.camera) || cameraCommandsIn(prompt).length > 0)
    throw new InputError({ code: 'h3_camera' });
  const resolution = pickResolution(raw.resolution, model);
  const duration = pickDuration(raw.duration, model);
  const media = sortMedia(raw);
  const ratio = pickRatio(
    raw.ratio,
    media.frames ? 'frames' : media.references ? 'references' : 'text',
  );
  const slots = IMAGE_SLOTS.filter((s) => media.images[s] !== undefined);
  const images = media.images;
  const mode: Mode = media.references
    ? 's2v'
    : slots.includes('last')
      ? 'fl2v'
      : slots.includes('first')
        ? 'i2v'
        : 't2v';
  const request: VideoRequest = {
    mode,
    model,
    prompt,
    duration,
    resolution,
    promptOptimizer: false,
    watermark: raw.watermark ?? false,
    imageSlots: slots,
  };
  if (ratio) request.ratio = ratio;
  if (raw.enhance) request.enhance = true;
  return { request, images, ...(media.clips.length ? { clips: media.clips } : {}) };
}

const roleOf = (slot: ImageSlot) =>
  slot === 'first' ? 'first_frame' : slot === 'last' ? 'last_frame' : 'reference_image';

/**
 * The body of POST /v2/video_generation. The prompt is the enhanced one when the enhancer ran.
 * Images go inline as data URLs: they are at most 3 MB each after image-prep, below the 64 MB
 * body limit even nine at a time (URLs would need a public host for chat attachments).
 */
export function toV2CreateBody(
  validated: ValidatedRequest,
  options: { callbackUrl?: string; prompt?: string } = {},
): CreateV2Body {
  const { request } = validated;
  const content: V2ContentItem[] = [{ type: 'text', text: options.prompt ?? request.prompt }];
  for (const slot of request.imageSlots) {
    const image = validated.images[slot];
    if (!image) throw new InputError({ code: 'images_missing', params: { slot } });
    content.push({ type: 'image_url', image_url: { url: toDataUrl(image) }, role: roleOf(slot) });
  }
  // Clips were uploaded at admission: a file reference keeps the body small (≤64 MB limit).
  for (const clip of request.clips ?? []) {
    const url = `mm_file://${clip.fileId}`;
    content.push(
      clip.kind === 'video'
        ? { type: 'video_url', video_url: { url }, role: 'reference_video' }
        : { type: 'audio_url', audio_url: { url }, role: 'reference_audio' },
    );
  }
  const body: CreateV2Body = {
    model: request.model,
    content,
    resolution: request.resolution ?? H3_DEFAULT_RESOLUTION,
    duration: request.duration ?? H3_DEFAULT_DURATION,
  };
  if (request.ratio) body.ratio = request.ratio;
  if (options.callbackUrl) body.callback_url = options.callbackUrl;
  if (request.watermark) body.aigc_watermark = true;
  return body;
}

/** The re-render of a finished 768P video at 2K (POST /v2/video_regeneration). */
export function toUpscaleBody(
  request: VideoRequest,
  videoUrl: string,
  callbackUrl?: string,
): CreateV2Body {
  return {
    model: request.model,
    content: [
      { type: 'text', text: request.prompt },
      { type: 'video_url', video_url: { url: videoUrl }, role: 'base_video' },
    ],
    resolution: '2K',
    duration: request.duration ?? H3_DEFAULT_DURATION,
    ...(callbackUrl ? { callback_url: callbackUrl } : {}),
  };
}
