import { CAMERA_COMMANDS, cameraLabel, normaliseCamera } from './camera.js';
import { BotError, InputError } from './errors.js';
import { checkImage, SLOT_LABELS, toDataUrl } from './images.js';
import type { CreateVideoBody } from './minimax/types.js';
import {
  allowedDurations,
  allowedResolutions,
  DEFAULT_DURATION,
  DEFAULT_MODEL,
  DEFAULT_RESOLUTION,
  DURATIONS,
  isLegacyModel,
  LEGACY_RESOLUTION,
  MODE_LABELS,
  modelSpec,
  modelsFor,
  resolveModelName,
} from './models.js';
import type {
  CheckedImage,
  Duration,
  ImageSlot,
  Mode,
  RawVideoRequest,
  Resolution,
  ValidatedRequest,
  VideoRequest,
} from './request-types.js';

/** MiniMax's prompt limit, counted in characters (code points, so emoji and CJK count once). */
export const MAX_PROMPT_CHARS = 2000;

const fmt = (n: number) => n.toLocaleString('en-US');
const present = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** The mode follows from which images are attached (SPEC §1.1). */
export function inferMode(slots: ReadonlySet<ImageSlot>): Mode {
  if (slots.has('subject')) {
    if (slots.has('first') || slots.has('last')) {
      throw new InputError(
        'A subject photo cannot be combined with first- or last-frame images; send either the subject photo or the frames.',
        'mode_conflict',
      );
    }
    return 's2v';
  }
  if (slots.has('last')) {
    if (!slots.has('first')) {
      throw new InputError(
        'A last-frame image needs a first-frame image too; attach both, or only a first frame.',
        'mode_conflict',
      );
    }
    return 'fl2v';
  }
  return slots.has('first') ? 'i2v' : 't2v';
}

function pickModel(raw: string | undefined, mode: Mode): string {
  if (!present(raw)) return DEFAULT_MODEL[mode];
  const model = resolveModelName(raw);
  if (!model) {
    throw new InputError(
      `"${raw.trim()}" is not a MiniMax video model; pick one of ${modelsFor(mode).join(', ')}.`,
      'bad_model',
    );
  }
  const spec = modelSpec(model)!;
  if (spec.modes.includes(mode)) return model;
  if (mode === 'fl2v' || mode === 's2v') {
    const only = DEFAULT_MODEL[mode];
    throw new InputError(
      `${MODE_LABELS[mode][0]!.toUpperCase()}${MODE_LABELS[mode].slice(1)} videos only work with ${only}; pick that model or leave the model empty.`,
      'model_mode',
    );
  }
  if (spec.modes.includes('s2v')) {
    throw new InputError(
      `${model} needs a subject photo; attach one as the subject image or pick another model.`,
      'model_mode',
    );
  }
  if (mode === 't2v') {
    throw new InputError(
      `${model} needs a first-frame image; attach one or pick another model.`,
      'model_mode',
    );
  }
  throw new InputError(
    `${model} only makes videos from text; remove the image or pick another model, such as ${DEFAULT_MODEL[mode]}.`,
    'model_mode',
  );
}

function parseResolution(raw: string): Resolution | undefined {
  const m = /^\s*(512|720|768|1080)\s*p?\s*$/i.exec(raw);
  return m ? (`${m[1]}P` as Resolution) : undefined;
}

function parseDuration(raw: number | string): Duration | undefined {
  const m = /^\s*(\d+(?:\.0+)?)\s*(s|sec|secs|seconds?|秒)?\s*$/i.exec(String(raw));
  const n = m ? Number(m[1]) : Number.NaN;
  return (DURATIONS as readonly number[]).includes(n) ? (n as Duration) : undefined;
}

function pickResolution(
  raw: string | undefined,
  model: string,
  mode: Mode,
): Resolution | undefined {
  const allowed = allowedResolutions(model, mode);
  const resolution = present(raw) ? parseResolution(raw) : undefined;
  if (present(raw) && !resolution) {
    throw new InputError(
      `"${raw.trim()}" is not a resolution; pick ${allowed.length ? allowed.join(' or ') : '768P or 1080P'}.`,
      'bad_resolution',
    );
  }
  if (isLegacyModel(model)) {
    if (resolution && resolution !== LEGACY_RESOLUTION) {
      throw new InputError(
        `${model} always makes 720P videos; leave the resolution empty or pick a Hailuo model.`,
        'bad_resolution',
      );
    }
    return undefined;
  }
  if (!resolution) return DEFAULT_RESOLUTION;
  if (!allowed.includes(resolution)) {
    const hint =
      resolution === '512P' ? ' (512P is only offered by MiniMax-Hailuo-02 image-to-video)' : '';
    throw new InputError(
      `${model} cannot make ${resolution} ${MODE_LABELS[mode]} videos${hint}; pick ${allowed.join(' or ')}.`,
      'bad_resolution',
    );
  }
  return resolution;
}

function pickDuration(
  raw: number | string | undefined,
  model: string,
  resolution: Resolution | undefined,
): Duration | undefined {
  const given = raw !== undefined && present(String(raw));
  const duration = given ? parseDuration(raw) : undefined;
  if (given && !duration) {
    throw new InputError(
      `"${String(raw).trim()}" is not a duration; pick 6 or 10 seconds.`,
      'bad_duration',
    );
  }
  const allowed = allowedDurations(model, resolution);
  if (duration && !allowed.includes(duration)) {
    throw new InputError(
      isLegacyModel(model)
        ? `${model} only makes 6-second videos; pick 6 seconds, or a Hailuo model for 10 seconds.`
        : `${resolution} videos can only be 6 seconds long; pick 6 seconds, or 768P for a 10-second video.`,
      'bad_duration',
    );
  }
  if (isLegacyModel(model)) return undefined;
  return duration ?? DEFAULT_DURATION;
}

function pickCamera(raw: string | undefined): string | undefined {
  if (!present(raw)) return undefined;
  const camera = normaliseCamera(raw);
  if (!camera) {
    throw new InputError(
      `"${raw.trim()}" is not a camera command; pick one of ${CAMERA_COMMANDS.join(', ')}.`,
      'bad_camera',
    );
  }
  return camera;
}

function buildPrompt(raw: string | undefined, camera: string | undefined, mode: Mode): string {
  // Only the outer whitespace goes; line breaks, brackets and spacing inside are the user's.
  const text = (raw ?? '').trim();
  if (mode === 't2v' && text === '') {
    throw new InputError(
      'Write a prompt describing the video, or attach an image to animate.',
      'empty_prompt',
    );
  }
  const tag = camera ? `[${camera}]` : '';
  const hasTag = tag !== '' && text.toLowerCase().includes(tag.toLowerCase());
  const prompt = tag && !hasTag ? (text ? `${text} ${tag}` : tag) : text;
  const length = [...prompt].length;
  if (length > MAX_PROMPT_CHARS) {
    const what = prompt === text ? 'The prompt' : 'The prompt with its camera command';
    throw new InputError(
      `${what} is ${fmt(length)} characters, ${fmt(length - MAX_PROMPT_CHARS)} over the ${fmt(MAX_PROMPT_CHARS)}-character limit; shorten it.`,
      'prompt_too_long',
    );
  }
  return prompt;
}

/**
 * Turns what a user asked for into a request MiniMax will accept, before any paid call.
 * Throws InputError whose userMessage is one sentence saying what to change.
 */
export function validateRequest(raw: RawVideoRequest): ValidatedRequest {
  const inputs = raw.images ?? {};
  const slots = (['first', 'last', 'subject'] as const).filter((s) => inputs[s] !== undefined);
  const mode = inferMode(new Set(slots));
  const model = pickModel(raw.model, mode);
  const resolution = pickResolution(raw.resolution, model, mode);
  const duration = pickDuration(raw.duration, model, resolution);
  const camera = pickCamera(raw.camera);
  const prompt = buildPrompt(raw.prompt, camera, mode);
  const images: Partial<Record<ImageSlot, CheckedImage>> = {};
  for (const slot of slots) images[slot] = checkImage(inputs[slot]!, SLOT_LABELS[slot]);
  const request: VideoRequest = {
    mode,
    model,
    prompt,
    promptOptimizer: raw.promptOptimizer ?? true,
    watermark: raw.watermark ?? false,
    imageSlots: slots,
  };
  if (duration !== undefined) request.duration = duration;
  if (resolution !== undefined) request.resolution = resolution;
  if (camera !== undefined) request.camera = camera;
  return { request, images };
}

function imageOf(validated: ValidatedRequest, slot: ImageSlot): string {
  const image = validated.images[slot];
  if (!image) {
    throw new BotError({
      code: 'images_missing',
      userMessage: `The ${SLOT_LABELS[slot]} of this request is no longer available; please send the request again.`,
      message: `missing ${slot} image for a ${validated.request.mode} request`,
    });
  }
  return toDataUrl(image);
}

/** The body of POST /v1/video_generation with exactly the fields MiniMax expects for the mode. */
export function toCreateBody(
  validated: ValidatedRequest,
  options: { callbackUrl?: string } = {},
): CreateVideoBody {
  const { request } = validated;
  const body: CreateVideoBody = { model: request.model };
  if (request.prompt !== '') body.prompt = request.prompt;
  body.prompt_optimizer = request.promptOptimizer;
  // The 01 series is sent without duration and resolution (some of those models reject them).
  if (!isLegacyModel(request.model)) {
    if (request.duration !== undefined) body.duration = request.duration;
    if (request.resolution !== undefined) body.resolution = request.resolution;
  }
  if (request.mode === 'i2v' || request.mode === 'fl2v') {
    body.first_frame_image = imageOf(validated, 'first');
  }
  if (request.mode === 'fl2v') body.last_frame_image = imageOf(validated, 'last');
  // S2V-01 rejects first_frame_image; the face goes in a one-element image array.
  if (request.mode === 's2v') {
    body.subject_reference = [{ type: 'character', image: [imageOf(validated, 'subject')] }];
  }
  if (options.callbackUrl) body.callback_url = options.callbackUrl;
  if (request.watermark) body.aigc_watermark = true;
  return body;
}

/** Short "settings used" line: "MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]". */
export function describeRequest(request: VideoRequest, locale?: string): string {
  const zh = locale?.toLowerCase().startsWith('zh') ?? false;
  const legacy = isLegacyModel(request.model);
  const resolution = request.resolution ?? (legacy ? LEGACY_RESOLUTION : DEFAULT_RESOLUTION);
  const seconds = request.duration ?? DEFAULT_DURATION;
  const parts = [request.model, resolution, zh ? `${seconds} 秒` : `${seconds} s`];
  if (request.camera) parts.push(`[${cameraLabel(request.camera, locale)}]`);
  if (!request.promptOptimizer) parts.push(zh ? '关闭提示词优化' : 'prompt optimizer off');
  if (request.watermark) parts.push(zh ? 'AI 水印' : 'AI watermark');
  return parts.join(' · ');
}
