import { imageSize } from 'image-size';
import { InputError } from './errors.js';
import type { CheckedImage, ImageInput, ImageMime, ImageSlot } from './request-types.js';

/** MiniMax's image limits (research/minimax-api.md §2.1). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MIN_SHORT_SIDE_PX = 300;
/** Long side / short side may be at most 5:2 (so 2:5 portrait to 5:2 landscape). */
export const MAX_ASPECT = 5 / 2;

/** How each slot is called in messages. */
export const SLOT_LABELS: Readonly<Record<ImageSlot, string>> = {
  first: 'first-frame image',
  last: 'last-frame image',
  subject: 'subject photo',
};

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
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

function ratioText(width: number, height: number): string {
  const r = (Math.max(width, height) / Math.min(width, height)).toFixed(1).replace(/\.0$/, '');
  return width >= height ? `${r}:1` : `1:${r}`;
}

/**
 * Checks an image against MiniMax's limits by its content (not its name). Each failure is an
 * InputError whose userMessage is one sentence naming the slot (and file) and what to change.
 * `slotLabel` is e.g. "first-frame image" (see SLOT_LABELS).
 */
export function checkImage(input: ImageInput, slotLabel: string): CheckedImage {
  const subject = `The ${slotLabel}${input.name ? ` (${input.name})` : ''}`;
  const { bytes } = input;
  if (bytes.length === 0) {
    throw new InputError(`${subject} is empty; attach the image again.`, 'image_empty');
  }
  const info = detect(bytes);
  const mime = info?.type ? MIME_BY_TYPE[info.type] : undefined;
  if (!info || !mime) {
    const found = info?.type ? ` (it looks like ${info.type.toUpperCase()})` : '';
    throw new InputError(
      `${subject} is not a JPG, PNG or WebP image${found}; attach a photo in one of those formats.`,
      'image_format',
    );
  }
  if (bytes.length >= MAX_IMAGE_BYTES) {
    throw new InputError(
      `${subject} is ${formatMb(bytes.length)}; use an image smaller than 20 MB.`,
      'image_too_large',
    );
  }
  // EXIF orientations 5–8 rotate by 90°, so the shown image has width and height swapped.
  const rotated = (info.orientation ?? 1) >= 5;
  const width = rotated ? info.height : info.width;
  const height = rotated ? info.width : info.height;
  if (!(width > 0 && height > 0)) {
    throw new InputError(`${subject} has no readable size; attach it again.`, 'image_format');
  }
  // Aspect first: a 6:1 panorama cannot be fixed by upscaling, so that is the useful advice.
  if (Math.max(width, height) / Math.min(width, height) > MAX_ASPECT) {
    throw new InputError(
      `${subject} is ${width}×${height} px (${ratioText(width, height)}); use an image between 2:5 and 5:2, such as 16:9 or 9:16.`,
      'image_aspect',
    );
  }
  if (Math.min(width, height) <= MIN_SHORT_SIDE_PX) {
    throw new InputError(
      `${subject} is ${width}×${height} px; use an image whose shorter side is more than ${MIN_SHORT_SIDE_PX} px.`,
      'image_too_small',
    );
  }
  return { bytes, mime, width, height };
}

/** `data:<mime>;base64,...` with the detected type (MiniMax's own tools wrongly always say jpeg). */
export function toDataUrl(image: CheckedImage): string {
  return `data:${image.mime};base64,${image.bytes.toString('base64')}`;
}
