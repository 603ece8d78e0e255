import {
  CAMERA_COMMANDS,
  CAMERA_TABLE,
  cameraCommandsIn,
  cameraLabel,
  normaliseCamera,
} from './camera.js';
import { BotError, InputError } from './errors.js';
import { isV2Model } from './h3-models.js';
import {
  H3_DEFAULT_DURATION,
  H3_DEFAULT_RESOLUTION,
  toV2CreateBody,
  validateV2Request,
} from './h3-request.js';
import { checkImage, SLOT_LABELS, SLOT_LABELS_ZH, toDataUrl } from './images.js';
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
  MODE_LABELS,
  MODE_LABELS_ZH,
  modelSpec,
  modelsFor,
  resolveModelName,
  takesCamera,
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
import { describeVariation } from './variation.js';

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
        '主体照片不能与首帧或尾帧图片一起使用，请只发送主体照片或只发送帧图片。',
      );
    }
    return 's2v';
  }
  if (slots.has('last')) {
    if (!slots.has('first')) {
      throw new InputError(
        'A last-frame image needs a first-frame image too; attach both, or only a first frame.',
        'mode_conflict',
        '尾帧图片需要同时提供首帧图片，请两张都附加，或只附加首帧图片。',
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
      `“${raw.trim()}”不是 MiniMax 视频模型，请从 ${modelsFor(mode).join('、')} 中选择一个。`,
    );
  }
  const spec = modelSpec(model)!;
  if (spec.modes.includes(mode)) return model;
  if (mode === 'fl2v' || mode === 's2v') {
    const only = DEFAULT_MODEL[mode];
    throw new InputError(
      `${MODE_LABELS[mode][0]!.toUpperCase()}${MODE_LABELS[mode].slice(1)} videos only work with ${only}; pick that model or leave the model empty.`,
      'model_mode',
      `${MODE_LABELS_ZH[mode]}视频只能使用 ${only}，请选择该模型或不填写模型。`,
    );
  }
  if (spec.modes.includes('s2v')) {
    throw new InputError(
      `${model} needs a subject photo; attach one as the subject image or pick another model.`,
      'model_mode',
      `${model} 需要一张主体照片，请附加主体照片或选择其他模型。`,
    );
  }
  if (mode === 't2v') {
    throw new InputError(
      `${model} needs a first-frame image; attach one or pick another model.`,
      'model_mode',
      `${model} 需要一张首帧图片，请附加一张或选择其他模型。`,
    );
  }
  throw new InputError(
    `${model} only makes videos from text; remove the image or pick another model, such as ${DEFAULT_MODEL[mode]}.`,
    'model_mode',
    `${model} 只能根据文字生成视频，请移除图片或选择其他模型，例如 ${DEFAULT_MODEL[mode]}。`,
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
      `“${raw.trim()}”不是有效的分辨率，请选择 ${allowed.length ? allowed.join(' 或 ') : '768P 或 1080P'}。`,
    );
  }
  if (isLegacyModel(model)) {
    if (resolution && resolution !== LEGACY_RESOLUTION) {
      throw new InputError(
        `${model} always makes 720P videos; leave the resolution empty or pick a Hailuo model.`,
        'bad_resolution',
        `${model} 只能生成 720P 视频，请不填写分辨率或选择 Hailuo 模型。`,
      );
    }
    return undefined;
  }
  if (!resolution) return DEFAULT_RESOLUTION;
  if (!allowed.includes(resolution)) {
    const is512 = resolution === '512P';
    const hint = is512 ? ' (512P is only offered by MiniMax-Hailuo-02 image-to-video)' : '';
    const hintZh = is512 ? '（只有 MiniMax-Hailuo-02 图生视频提供 512P）' : '';
    throw new InputError(
      `${model} cannot make ${resolution} ${MODE_LABELS[mode]} videos${hint}; pick ${allowed.join(' or ')}.`,
      'bad_resolution',
      `${model} 在${MODE_LABELS_ZH[mode]}模式下无法生成 ${resolution} 视频${hintZh}，请选择 ${allowed.join(' 或 ')}。`,
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
      `“${String(raw).trim()}”不是有效的时长，请选择 6 秒或 10 秒。`,
    );
  }
  const allowed = allowedDurations(model, resolution);
  if (duration && !allowed.includes(duration)) {
    const legacy = isLegacyModel(model);
    throw new InputError(
      legacy
        ? `${model} only makes 6-second videos; pick 6 seconds, or a Hailuo model for 10 seconds.`
        : `${resolution} videos can only be 6 seconds long; pick 6 seconds, or 768P for a 10-second video.`,
      'bad_duration',
      legacy
        ? `${model} 只能生成 6 秒的视频，请选择 6 秒，或选择 Hailuo 模型来生成 10 秒视频。`
        : `${resolution} 视频只能是 6 秒，请选择 6 秒，或选择 768P 来生成 10 秒视频。`,
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
      `“${raw.trim()}”不是有效的镜头指令，请从 ${CAMERA_TABLE.map((c) => c.zh).join('、')} 中选择一个。`,
    );
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
  const pick = others.length ? `pick ${others.join(' or ')}, or ` : '';
  const pickZh = others.length ? `请选择 ${others.join(' 或 ')}，或` : '请';
  throw new InputError(
    `${model} ignores camera commands like [${command}]; ${pick}remove the camera command.`,
    'camera_unsupported',
    `${model} 不支持镜头指令（如 [${cameraLabel(command, 'zh')}]），${pickZh}删除镜头指令。`,
  );
}

function buildPrompt(raw: string | undefined, camera: string | undefined, mode: Mode): string {
  // Only the outer whitespace goes; line breaks, brackets and spacing inside are the user's.
  const text = (raw ?? '').trim();
  if (mode === 't2v' && text === '') {
    throw new InputError(
      'Write a prompt describing the video, or attach an image to animate.',
      'empty_prompt',
      '请写一段描述视频的提示词，或附加一张要动起来的图片。',
    );
  }
  const tag = camera ? `[${camera}]` : '';
  const hasTag = tag !== '' && text.toLowerCase().includes(tag.toLowerCase());
  const prompt = tag && !hasTag ? (text ? `${text} ${tag}` : tag) : text;
  const length = [...prompt].length;
  if (length > MAX_PROMPT_CHARS) {
    const plain = prompt === text;
    const what = plain ? 'The prompt' : 'The prompt with its camera command';
    const whatZh = plain ? '提示词' : '加上镜头指令后的提示词';
    throw new InputError(
      `${what} is ${fmt(length)} characters, ${fmt(length - MAX_PROMPT_CHARS)} over the ${fmt(MAX_PROMPT_CHARS)}-character limit; shorten it.`,
      'prompt_too_long',
      `${whatZh}有 ${fmt(length)} 个字符，超出 ${fmt(MAX_PROMPT_CHARS)} 字符的上限 ${fmt(length - MAX_PROMPT_CHARS)} 个，请缩短。`,
    );
  }
  return prompt;
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
  const inputs = raw.images ?? {};
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
    images[slot] = checkImage(inputs[slot]!, SLOT_LABELS[slot], SLOT_LABELS_ZH[slot]);
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
      userMessage: `The ${SLOT_LABELS[slot]} of this request is no longer available; please send the request again.`,
      userMessageZh: `此请求的${SLOT_LABELS_ZH[slot]}已不可用，请重新发送请求。`,
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

/** Short "settings used" line: "MiniMax-Hailuo-2.3 · 768P · 6 s · [Pan left]". */
export function describeRequest(request: VideoRequest, locale?: string): string {
  const zh = locale?.toLowerCase().startsWith('zh') ?? false;
  if (isV2Model(request.model)) {
    const seconds = request.duration ?? H3_DEFAULT_DURATION;
    const parts = [
      request.model,
      request.resolution ?? H3_DEFAULT_RESOLUTION,
      zh ? `${seconds} 秒` : `${seconds} s`,
    ];
    parts.push(request.ratio ?? (zh ? '比例随首帧' : 'ratio of the frame'));
    parts.push(zh ? '有声' : 'with sound');
    if (request.enhance) parts.push(zh ? '提示词增强' : 'prompt enhanced');
    if (request.upscaleOf) parts.push(zh ? '升级到 2K' : 'upscaled to 2K');
    return parts.join(' · ');
  }
  const legacy = isLegacyModel(request.model);
  const resolution = request.resolution ?? (legacy ? LEGACY_RESOLUTION : DEFAULT_RESOLUTION);
  const seconds = request.duration ?? DEFAULT_DURATION;
  const parts = [request.model, resolution, zh ? `${seconds} 秒` : `${seconds} s`];
  if (request.camera) parts.push(`[${cameraLabel(request.camera, locale)}]`);
  if (!request.promptOptimizer) parts.push(zh ? '关闭提示词优化' : 'prompt optimizer off');
  if (request.watermark) parts.push(zh ? 'AI 水印' : 'AI watermark');
  if (request.variation) parts.push(describeVariation(request.variation, locale));
  return parts.join(' · ');
}
