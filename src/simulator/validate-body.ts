import { checkImageField, hasCameraCommand } from './strict-checks.js';

/**
 * Checks a create body the way MiniMax does (research/minimax-api.md §2 and §4). Returns the
 * `status_msg` of a 2013 answer, or undefined when the body is acceptable.
 */

interface ModelRule {
  /** Text-only generation allowed. */
  t2v: boolean;
  /** first_frame_image allowed. */
  firstFrame: 'no' | 'optional' | 'required';
  lastFrame: boolean;
  subject: boolean;
  /** Resolutions accepted; undefined = 01 series, which accepts (and ignores) what it gets. */
  resolutions?: string[];
  /**
   * Camera commands documented for this model. The real API is believed to ignore them on the
   * others; the simulator refuses them so a bot that pays for a move that never happens fails.
   */
  camera: boolean;
}

function legacy(rule: Partial<ModelRule>): ModelRule {
  return { t2v: false, firstFrame: 'no', lastFrame: false, subject: false, camera: false, ...rule };
}

const hailuo23: ModelRule = {
  t2v: true,
  firstFrame: 'optional',
  lastFrame: false,
  subject: false,
  resolutions: ['768P', '1080P'],
  camera: true,
};

export const MODEL_RULES: Readonly<Record<string, ModelRule>> = {
  'MiniMax-Hailuo-2.3': hailuo23,
  'MiniMax-Hailuo-2.3-Fast': { ...hailuo23, t2v: false, firstFrame: 'required' },
  'MiniMax-Hailuo-02': {
    t2v: true,
    firstFrame: 'optional',
    lastFrame: true,
    subject: false,
    resolutions: ['512P', '768P', '1080P'],
    camera: true,
  },
  'T2V-01-Director': legacy({ t2v: true, firstFrame: 'no', camera: true }),
  'T2V-01': legacy({ t2v: true, firstFrame: 'no' }),
  'I2V-01-Director': legacy({ firstFrame: 'required', camera: true }),
  'I2V-01-live': legacy({ firstFrame: 'required' }),
  'I2V-01': legacy({ firstFrame: 'required' }),
  'S2V-01': legacy({ subject: true }),
};

const MAX_PROMPT_CHARS = 2000;

function isImageRef(v: unknown): boolean {
  return (
    typeof v === 'string' && (/^https?:\/\/\S+$/.test(v) || /^data:image\/[a-z]+;base64,/.test(v))
  );
}

function checkSubject(ref: unknown): string | undefined {
  if (!Array.isArray(ref) || ref.length !== 1)
    return 'invalid params, subject_reference must hold exactly one subject';
  const item = ref[0] as { type?: unknown; image?: unknown };
  if (item?.type !== 'character') return 'invalid params, subject_reference type must be character';
  if (!Array.isArray(item.image) || item.image.length !== 1 || !isImageRef(item.image[0]))
    return 'invalid params, subject_reference image must be an array with one image';
  return checkImageField('subject_reference image', item.image[0] as string);
}

export function validateCreateBody(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return 'invalid params, body must be a JSON object';
  const body = raw as Record<string, unknown>;
  const rule = typeof body.model === 'string' ? MODEL_RULES[body.model] : undefined;
  if (!rule) return `invalid params, model ${String(body.model)} is not supported`;

  const prompt = body.prompt;
  if (prompt !== undefined && typeof prompt !== 'string')
    return 'invalid params, prompt must be a string';
  if (typeof prompt === 'string' && [...prompt].length > MAX_PROMPT_CHARS)
    return `invalid params, prompt exceeds ${MAX_PROMPT_CHARS} characters`;

  const hasFirst = body.first_frame_image !== undefined;
  const hasLast = body.last_frame_image !== undefined;
  const hasSubject = body.subject_reference !== undefined;
  if (hasFirst && !isImageRef(body.first_frame_image))
    return 'invalid params, first_frame_image must be a URL or data URL';
  if (hasLast && !isImageRef(body.last_frame_image))
    return 'invalid params, last_frame_image must be a URL or data URL';
  const badImage =
    (hasFirst && checkImageField('first_frame_image', body.first_frame_image as string)) ||
    (hasLast && checkImageField('last_frame_image', body.last_frame_image as string));
  if (badImage) return badImage;
  if (!rule.camera && typeof prompt === 'string' && hasCameraCommand(prompt))
    return `invalid params, ${body.model} does not support camera commands`;
  if (hasFirst && rule.firstFrame === 'no')
    return `invalid params, ${body.model} does not accept first_frame_image`;
  if (!hasFirst && rule.firstFrame === 'required')
    return `invalid params, ${body.model} requires first_frame_image`;
  if (hasLast && !rule.lastFrame)
    return `invalid params, ${body.model} does not accept last_frame_image`;
  if (hasLast && !hasFirst) return 'invalid params, last_frame_image requires first_frame_image';
  if (hasSubject && !rule.subject)
    return `invalid params, ${body.model} does not accept subject_reference`;
  if (rule.subject) {
    if (!hasSubject) return `invalid params, ${body.model} requires subject_reference`;
    const bad = checkSubject(body.subject_reference);
    if (bad) return bad;
  }
  if (!hasFirst && !hasSubject && rule.t2v && (typeof prompt !== 'string' || prompt.trim() === ''))
    return 'invalid params, prompt is required';

  return checkDurationAndResolution(body, rule, hasFirst && !hasLast);
}

function checkDurationAndResolution(
  body: Record<string, unknown>,
  rule: ModelRule,
  isImageToVideo: boolean,
): string | undefined {
  const { duration, resolution } = body;
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration)))
    return 'invalid params, duration must be an integer';
  if (resolution !== undefined && typeof resolution !== 'string')
    return 'invalid params, resolution must be a string';
  // The 01 series takes 720P/6 s whatever it is sent (research §4.2, open point).
  if (!rule.resolutions) return undefined;
  if (duration !== undefined && duration !== 6 && duration !== 10)
    return `invalid params, duration ${duration} is not supported`;
  const res = resolution ?? '768P';
  if (!rule.resolutions.includes(res))
    return `invalid params, resolution ${res} is not supported by ${body.model}`;
  if (res === '512P' && !isImageToVideo)
    return 'invalid params, 512P is only supported for image-to-video';
  if (res === '1080P' && duration === 10)
    return 'invalid params, 1080P supports only 6 second videos';
  return undefined;
}

/** Output size MiniMax reports for a finished task (research §3.3). */
export function outputSize(body: Record<string, unknown>): { width: number; height: number } {
  const rule = MODEL_RULES[String(body.model)];
  if (!rule?.resolutions) return { width: 1280, height: 720 };
  switch (body.resolution) {
    case '1080P':
      return { width: 1920, height: 1080 };
    case '512P':
      return { width: 910, height: 512 };
    default:
      return { width: 1366, height: 768 };
  }
}
