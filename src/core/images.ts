import { imageSize } from 'image-size';
import type { MessageParams } from '../messages/index.js';
import { InputError } from './errors.js';
import {
  type CheckedImage,
  type ImageInput,
  type ImageMime,
  type ImageSlot,
  REF_SLOTS,
  type RefSlot,
} from './request-types.js';

/**
 * MiniMax's image limits (research/minimax-api.md §2.1). "< 20 MB" is read as decimal megabytes
 * (20,000,000 bytes), the stricter of the two readings, so no image the bot accepts can be
 * refused by MiniMax under either one.
 */
export const MAX_IMAGE_BYTES = 20_000_000;
export const MIN_SHORT_SIDE_PX = 300;
/** Long side / short side must stay below 5:2 (MiniMax asks for a ratio strictly inside 2:5–5:2). */
export const MAX_ASPECT = 5 / 2;

/** How each slot is called in messages. */
export const SLOT_LABELS: Readonly<Record<ImageSlot, string>> = {
  first: 'first-frame image',
  last: 'last-frame image',
  subject: 'subject photo',
  ...refLabels('reference image'),
};

/** `ref2` → "reference image 2" (MiniMax-H3's reference images after the first, `subject`). */
export function refLabels(word: string): Record<RefSlot, string> {
  return Object.fromEntries(REF_SLOTS.map((s) => [s, `${word} ${s.slice(3)}`])) as Record<
    RefSlot,
    string
  >;
}

const MIME_BY_TYPE: Readonly<Record<string, ImageMime>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

function detect(
  bytes: Buffer,
): { type?: string; width: number; height: number; orientation?: number } | undefined {
  try {
    return imageSize(bytes);
  } catch {
    return undefined;
  }
}

function formatMb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
}

function ratioText(width: number, height: number): string {
  const r = (Math.max(width, height) / Math.min(width, height)).toFixed(1).replace(/\.0$/, '');
  return width >= height ? `${r}:1` : `1:${r}`;
}

/**
 * V1 asks for a shorter side above 300 px and a shape strictly inside 2:5–5:2; MiniMax-H3 (V2,
 * research/minimax-h3.md §2) takes sides from 256 px and the bounds 0.4 and 2.5 themselves.
 */
export interface ImageRules {
  api: 'v1' | 'v2';
  minSide: number;
  aspectKey?: string;
  smallKey?: string;
}
export const V1_IMAGE_RULES: ImageRules = { api: 'v1', minSide: MIN_SHORT_SIDE_PX };
export const V2_MIN_SIDE_PX = 256;
export const V2_IMAGE_RULES: ImageRules = {
  api: 'v2',
  minSide: V2_MIN_SIDE_PX,
  aspectKey: 'image_aspect_v2',
  smallKey: 'image_too_small_v2',
};

/**
 * Checks an image against MiniMax's limits by its content (not its name). Each failure is an
 * InputError naming the slot (and file) and what to change (catalog-images.ts words it).
 * `slotLabel` is e.g. "first-frame image" (see SLOT_LABELS).
 */
export function checkImage(
  input: ImageInput,
  slotLabel: string,
  rules: ImageRules = V1_IMAGE_RULES,
): CheckedImage {
  const who = { label: slotLabel, ...(input.name ? { name: input.name } : {}) };
  const refuse = (code: string, params: MessageParams = {}, textKey?: string) =>
    new InputError({ code, params: { ...who, ...params }, ...(textKey ? { textKey } : {}) });
  const { bytes } = input;
  if (bytes.length === 0) throw refuse('image_empty');
  const info = detect(bytes);
  const mime = info?.type ? MIME_BY_TYPE[info.type] : undefined;
  if (!info || !mime)
    throw refuse('image_format', info?.type ? { found: info.type.toUpperCase() } : {});
  if (bytes.length >= MAX_IMAGE_BYTES)
    throw refuse('image_too_large', { size: formatMb(bytes.length) });
  // EXIF orientations 5–8 rotate by 90°, so the shown image has width and height swapped.
  const rotated = (info.orientation ?? 1) >= 5;
  const width = rotated ? info.height : info.width;
  const height = rotated ? info.width : info.height;
  if (!(width > 0 && height > 0)) throw refuse('image_format', {}, 'image_no_size');
  // Aspect first: a 6:1 panorama cannot be fixed by upscaling, so that is the useful advice.
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (rules.api === 'v1' ? aspect >= MAX_ASPECT : aspect > MAX_ASPECT)
    throw refuse(
      'image_aspect',
      { width, height, ratio: ratioText(width, height) },
      rules.aspectKey,
    );
  const short = Math.min(width, height);
  if (rules.api === 'v1' ? short <= MIN_SHORT_SIDE_PX : short < V2_MIN_SIDE_PX)
    throw refuse('image_too_small', { width, height, min: rules.minSide }, rules.smallKey);
  return { bytes, mime, width, height };
}

/** `data:<mime>;base64,...` with the detected type (MiniMax's own tools wrongly always say jpeg). */
export function toDataUrl(image: CheckedImage): string {
  return `data:${image.mime};base64,${image.bytes.toString('base64')}`;
}
