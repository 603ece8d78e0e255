import { imageSize } from 'image-size';

/**
 * The checks MiniMax documents for input images and camera commands (research/minimax-api.md
 * §2.1, §4.1, §4.3), written apart from src/core so the simulator cannot share the bot's mistakes.
 */

/** "< 20 MB", read as decimal megabytes: the stricter reading. */
export const SIM_MAX_IMAGE_BYTES = 20_000_000;
const MIN_SHORT_SIDE_PX = 300;
const FORMATS = new Set(['jpg', 'png', 'webp']);

/** Why an image field is refused, or undefined when it is acceptable. URLs are not fetched. */
export function checkImageField(field: string, value: string): string | undefined {
  const m = /^data:image\/([a-z]+);base64,(.*)$/s.exec(value);
  if (!m) return undefined;
  const bytes = Buffer.from(m[2]!, 'base64');
  if (bytes.length >= SIM_MAX_IMAGE_BYTES)
    return `invalid params, ${field} must be smaller than 20MB`;
  let info: { type?: string; width: number; height: number; orientation?: number };
  try {
    info = imageSize(bytes);
  } catch {
    return `invalid params, ${field} is not a supported image`;
  }
  if (!info.type || !FORMATS.has(info.type))
    return `invalid params, ${field} format must be JPG, JPEG, PNG or WebP`;
  const short = Math.min(info.width, info.height);
  const long = Math.max(info.width, info.height);
  if (short <= MIN_SHORT_SIDE_PX)
    return `invalid params, ${field} shorter side must be greater than 300px`;
  // MiniMax asks for a ratio inside 2:5–5:2; exactly 5:2 is outside "less than 5:2".
  if (long / short >= 2.5)
    return `invalid params, ${field} aspect ratio must be between 2:5 and 5:2`;
  return undefined;
}

const CAMERA_WORDS = new Set([
  'truck left',
  'truck right',
  'pan left',
  'pan right',
  'push in',
  'pull out',
  'pedestal up',
  'pedestal down',
  'tilt up',
  'tilt down',
  'zoom in',
  'zoom out',
  'shake',
  'tracking shot',
  'static shot',
  '左移',
  '右移',
  '左摇',
  '右摇',
  '推进',
  '拉远',
  '上升',
  '下降',
  '上摇',
  '下摇',
  '变焦推近',
  '变焦拉远',
  '晃动',
  '跟随',
  '固定',
]);

/** Whether a prompt carries a bracketed camera command such as `[Pan left]` or `[左摇,上升]`. */
export function hasCameraCommand(prompt: string): boolean {
  for (const m of prompt.matchAll(/[[【]([^\]】]{1,80})[\]】]/g)) {
    for (const part of m[1]!.split(/[,，、]/)) {
      if (CAMERA_WORDS.has(part.trim().toLowerCase())) return true;
    }
  }
  return false;
}
