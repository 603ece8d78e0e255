import { cameraCommandsIn, normaliseCamera } from './camera.js';
import { BotError, InputError } from './errors.js';
import { isV2Model } from './h3-models.js';
import { toV2CreateBody, validateV2Request } from './h3-request.js';
import { checkImage, SLOT_LABELS, toDataUrl } from './images.js';
import { withProbes } from './media-probe.js';
import type { CreateV2Body, CreateVideoBody } from './minimax/types.js';
import {
  allowedDurations,
  allowedResolutions,
  CAMERA_MODELS,
  DEFAULT_DURATION,
  DEFAULT_MODEL,
  DEFAULT_RESOLUTION,
  DURATIONS,
  isLegacyModel,
  LEGACY_RESOLUTION,
  modelSpec,
  modelsFor,
  resolveModelName,
  takesCamera,
} from './models.js';
import type {
  CheckedImage,
  Duration,
  ImageInput,
  ImageSlot,
  MediaInput,
  Mode,
  RawVideoRequest,
  Resolution,
  ValidatedRequest,
  VideoRequest,
} from './request-types.js';

/** MiniMax's prompt limit, counted in characters (code points, so emoji and CJK count once). */
export const MAX_PROMPT_CHARS = 2000;

const _fmt = (n: number) => n.toLocaleString('en-US');
const present = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** The mode follows from which images are attached (SPEC §1.1). */
export function inferMode(slots: ReadonlySet<ImageSlot>): Mode {
  if (slots.has('subject')) {
    if (slots.has('first') || slots.has('last')) {
      throw new InputError({ code: 'mode_conflict', textKey: 'mode_subject_with_frames' });
    }
    return 's2v';
  }
  if (slots.has('last')) {
    if (!slots.has('first')) {
      throw new InputError({ code: 'mode_conflict', textKey: 'mode_last_without_first' });
    }
    return 'fl2v';
  }
  return slots.has('first') ? 'i2v' : 't2v';
}

function pickModel(raw: string | undefined, mode: Mode): string {
  if (!present(raw)) return DEFAULT_MODEL[mode];
  const model = resolveModelName(raw);
  if (!model) {
    throw new InputError({
      code: 'bad_model',
      params: { value: raw.trim(), models: modelsFor(mode).join('|') },
    });
  }
  const spec = modelSpec(model)!;
  if (spec.modes.includes(mode)) return model;
  if (mode === 'fl2v' || mode === 's2v') {
    const only = DEFAULT_MODEL[mode];
    throw new InputError({
      code: 'model_mode',
      textKey: 'model_mode_only',
      params: { mode, only },
    });
  }
  if (spec.modes.includes('s2v')) {
    throw new InputError({ code: 'model_mode', textKey: 'model_needs_subject', params: { model } });
  }
  if (mode === 't2v') {
    throw new InputError({ code: 'model_mode', textKey: 'model_needs_first', params: { model } });
  }
  throw new InputError({
    code: 'model_mode',
    textKey: 'model_text_only',
    params: { model, example: DEFAULT_MODEL[mode] },
  });
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
    throw new InputError({
      code: 'bad_resolution',
      textKey: 'bad_resolution_value',
      params: {
        value: raw.trim(),
        allowed: (allowed.length ? allowed : ['768P', '1080P']).join('|'),
      },
    });
  }
  if (isLegacyModel(model)) {
    if (resolution && resolution !== LEGACY_RESOLUTION) {
      throw new InputError({
        code: 'bad_resolution',
        textKey: 'legacy_resolution',
        params: { model },
      });
    }
    return undefined;
  }
  if (!resolution) return DEFAULT_RESOLUTION;
  if (!allowed.includes(resolution)) {
    throw new InputError({
      code: 'bad_resolution',
      textKey: 'resolution_for_mode',
      params: { model, resolution, mode, allowed: allowed.join('|') },
    });
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
    throw new InputError({
      code: 'bad_duration',
      textKey: 'bad_duration_value',
      params: { value: String(raw).trim() },
    });
  }
  const allowed = allowedDurations(model, resolution);
  if (duration && !allowed.includes(duration)) {
    throw new InputError({
      code: 'bad_duration',
      textKey: isLegacyModel(model) ? 'legacy_duration' : 'short_only_duration',
      params: { model, resolution },
    });
  }
  if (isLegacyModel(model)) return undefined;
  return duration ?? DEFAULT_DURATION;
}

function pickCamera(raw: string | undefined): string | undefined {
  if (!present(raw)) return undefined;
  const camera = normaliseCamera(raw);
  if (!camera) {
    throw new InputError({ code: 'bad_camera', params: { value: raw.trim() } });
  }
  return camera;
}

/**
 * Camera commands only steer the Hailuo and *-Director models; on the others the user would pay
 * for a move that never happens, so the request is refused (not silently stripped) before any
 * create. Applies to the camera option and to commands typed in the prompt alike.
 */
function checkCameraSupport(
  model: string,
  mode: Mode,
  camera: string | undefined,
  text = '',
): void {
  if (takesCamera(model)) return;
  const command = camera ?? cameraCommandsIn(text)[0];
  if (!command) return;
  const others = CAMERA_MODELS.filter((m) => modelSpec(m)!.modes.includes(mode));
  throw new InputError({
    code: 'camera_unsupported',
    params: { model, command, others: others.join('|') },
  });
}

function buildPrompt(raw: string | undefined, camera: string | undefined, mode: Mode): string {
  // Only the outer whitespace goes; line breaks, brackets and spacing inside are the user's.
  const text = (raw ?? '').trim();
  if (mode === 't2v' && text === '') {
    throw new InputError({ code: 'empty_prompt' });
  }
  const tag = camera ? `[${camera}]` : '';
  const hasTag = tag !== '' && text.toLowerCase().includes(tag.toLowerCase());
  const prompt = tag && !hasTag ? (text ? `${text} ${tag}` : tag) : text;
  const length = [...prompt].length;
  if (length > MAX_PROMPT_CHARS) {
    throw new InputError({
      code: 'prompt_too_long',
      params: {
        length,
        over: length - MAX_PROMPT_CHARS,
        max: MAX_PROMPT_CHARS,
        withCamera: prompt === text ? 0 : 1,
      },
    });
  }
  return prompt;
}

/**
 * Chat files on a V1 model, as today's image slots: unlabelled images are the first and last
 * frame (more are left out, as before MiniMax-H3), a reference is the subject photo. Clips are
 * MiniMax-H3 only.
 */
function v1Slots(media: MediaInput[] | undefined): Partial<Record<ImageSlot, ImageInput>> {
  const slots: Partial<Record<ImageSlot, ImageInput>> = {};
  for (const item of media ?? []) {
    if (item.probe && item.probe.kind !== 'image')
      throw new InputError({ code: 'h3_only_option', params: { option: 'video and audio clips' } });
    const slot: ImageSlot | undefined =
      item.role === 'reference'
        ? 'subject'
        : item.role === 'last_frame'
          ? 'last'
          : item.role === 'first_frame' || !slots.first
            ? 'first'
            : !slots.last
              ? 'last'
              : undefined;
    if (!slot) continue;
    if (slots[slot] && item.role)
      throw new InputError({
        code: 'h3_only_option',
        params: { option: 'several reference images' },
      });
    slots[slot] = { bytes: item.bytes, ...(item.name ? { name: item.name } : {}) };
  }
  return slots;
}

/** `validateRequest` after reading every attached clip (media-probe.ts); what adapters call. */
export async function checkRequest(raw: RawVideoRequest): Promise<ValidatedRequest> {
  return validateRequest(await withProbes(raw));
}

/**
 * Turns what a user asked for into a request MiniMax will accept, before any paid call.
 * Throws InputError whose userMessage is one sentence saying what to change.
 */
export function validateRequest(raw: RawVideoRequest): ValidatedRequest {
  // MiniMax-H3 speaks the V2 API with its own rules (h3-request.ts); V1 models are untouched.
  const named = present(raw.model) ? resolveModelName(raw.model) : undefined;
  if (named && isV2Model(named)) return validateV2Request(raw, named);
  if (present(raw.ratio))
    throw new InputError({ code: 'h3_only_option', params: { option: 'ratio' } });
  if (raw.enhance) throw new InputError({ code: 'h3_only_option', params: { option: 'enhance' } });
  const inputs = { ...(raw.images ?? {}), ...v1Slots(raw.media) };
  const slots = (['first', 'last', 'subject'] as const).filter((s) => inputs[s] !== undefined);
  const mode = inferMode(new Set(slots));
  const model = pickModel(raw.model, mode);
  const resolution = pickResolution(raw.resolution, model, mode);
  const duration = pickDuration(raw.duration, model, resolution);
  const camera = pickCamera(raw.camera);
  checkCameraSupport(model, mode, camera, raw.prompt);
  const prompt = buildPrompt(raw.prompt, camera, mode);
  const images: Partial<Record<ImageSlot, CheckedImage>> = {};
  for (const slot of slots) {
    images[slot] = checkImage(inputs[slot]!, SLOT_LABELS[slot]);
  }
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
      params: { slot },
      message: `missing ${slot} image for a ${validated.request.mode} request`,
    });
  }
  return toDataUrl(image);
}

/** The body of POST /v1/video_generation with exactly the fields MiniMax expects for the mode. */
/**
 * Fills in the operator's DEFAULT_MODEL when a request names no model. MiniMax-H3 takes every
 * input this bot offers; a V1 default applies only to modes it can make, so a subject photo still
 * goes to S2V-01 and a last frame to Hailuo-02 (SPEC §2).
 */
export function withDefaultModel(
  raw: RawVideoRequest,
  defaultModel: string | undefined,
): RawVideoRequest {
  if (!defaultModel || present(raw.model)) return raw;
  if (isV2Model(defaultModel)) return { ...raw, model: defaultModel };
  const inputs = raw.images ?? {};
  const slots = (['first', 'last', 'subject'] as const).filter((s) => inputs[s] !== undefined);
  let mode: Mode;
  try {
    mode = inferMode(new Set(slots));
  } catch {
    return raw;
  }
  return modelSpec(defaultModel)?.modes.includes(mode) ? { ...raw, model: defaultModel } : raw;
}

/** The create body of whichever API the request's model speaks (V2 for MiniMax-H3). */
export function createBodyOf(
  validated: ValidatedRequest,
  options: { callbackUrl?: string; prompt?: string } = {},
): CreateVideoBody | CreateV2Body {
  return isV2Model(validated.request.model)
    ? toV2CreateBody(validated, options)
    : toCreateBody(validated, options);
}

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
