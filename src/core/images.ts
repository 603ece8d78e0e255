import { imageSize } from 'image-size';
import { InputError } from './errors.js';
import type { CheckedImage, ImageInput, ImageMime, ImageSlot } from './request-types.js';

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
};

/** SLOT_LABELS in Simplified Chinese. */
export const SLOT_LABELS_ZH: Readonly<Record<ImageSlot, string>> = {
  first: '首帧图片',
  last: '尾帧图片',
  subject: '主体照片',
};

function zhLabelOf(slotLabel: string): string {
  const slot = (Object.keys(SLOT_LABELS) as ImageSlot[]).find((s) => SLOT_LABELS[s] === slotLabel);
  return slot ? SLOT_LABELS_ZH[slot] : slotLabel;
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
 * Checks an image against MiniMax's limits by its content (not its name). Each failure is an
 * InputError whose userMessage is one sentence naming the slot (and file) and what to change.
 * `slotLabel` is e.g. "first-frame image" (see SLOT_LABELS); `slotLabelZh` defaults to its
 * SLOT_LABELS_ZH twin.
 */
export function checkImage(
  input: ImageInput,
  slotLabel: string,
  slotLabelZh = zhLabelOf(slotLabel),
): CheckedImage {
  const subject = `The ${slotLabel}${input.name ? ` (${input.name})` : ''}`;
  const zh = `${slotLabelZh}${input.name ? `（${input.name}）` : ''}`;
  const { bytes } = input;
  if (bytes.length === 0) {
    throw new InputError(
      `${subject} is empty; attach the image again.`,
      'image_empty',
      `${zh}是空的，请重新附加图片。`,
    );
  }
  const info = detect(bytes);
  const mime = info?.type ? MIME_BY_TYPE[info.type] : undefined;
  if (!info || !mime) {
    const found = info?.type ? ` (it looks like ${info.type.toUpperCase()})` : '';
    const foundZh = info?.type ? `（看起来是 ${info.type.toUpperCase()}）` : '';
    throw new InputError(
      `${subject} is not a JPG, PNG or WebP image${found}; attach a photo in one of those formats.`,
      'image_format',
      `${zh}不是 JPG、PNG 或 WebP 图片${foundZh}，请附加这些格式之一的图片。`,
    );
  }
  if (bytes.length >= MAX_IMAGE_BYTES) {
    throw new InputError(
      `${subject} is ${formatMb(bytes.length)}; use an image smaller than 20 MB.`,
      'image_too_large',
      `${zh}大小为 ${formatMb(bytes.length)}，请使用小于 20 MB 的图片。`,
    );
  }
  // EXIF orientations 5–8 rotate by 90°, so the shown image has width and height swapped.
  const rotated = (info.orientation ?? 1) >= 5;
  const width = rotated ? info.height : info.width;
  const height = rotated ? info.width : info.height;
  if (!(width > 0 && height > 0)) {
    throw new InputError(
      `${subject} has no readable size; attach it again.`,
      'image_format',
      `无法读取${zh}的尺寸，请重新附加。`,
    );
  }
  // Aspect first: a 6:1 panorama cannot be fixed by upscaling, so that is the useful advice.
  if (Math.max(width, height) / Math.min(width, height) >= MAX_ASPECT) {
    throw new InputError(
      `${subject} is ${width}×${height} px (${ratioText(width, height)}); use an image strictly between 2:5 and 5:2, such as 16:9 or 9:16.`,
      'image_aspect',
      `${zh}为 ${width}×${height} 像素（${ratioText(width, height)}），请使用宽高比严格介于 2:5 到 5:2 之间的图片，例如 16:9 或 9:16。`,
    );
  }
  if (Math.min(width, height) <= MIN_SHORT_SIDE_PX) {
    throw new InputError(
      `${subject} is ${width}×${height} px; use an image whose shorter side is more than ${MIN_SHORT_SIDE_PX} px.`,
      'image_too_small',
      `${zh}为 ${width}×${height} 像素，请使用短边大于 ${MIN_SHORT_SIDE_PX} 像素的图片。`,
    );
  }
  return { bytes, mime, width, height };
}

/** `data:<mime>;base64,...` with the detected type (MiniMax's own tools wrongly always say jpeg). */
export function toDataUrl(image: CheckedImage): string {
  return `data:${image.mime};base64,${image.bytes.toString('base64')}`;
}
