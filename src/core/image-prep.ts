import { InputError } from './errors.js';
import { SLOT_LABELS } from './images.js';
import type { CheckedImage, ImageSlot } from './request-types.js';

/**
 * MiniMax renders at most 1080P (1920×1080), so detail beyond that in an input image never
 * reaches the video; it only makes the create body bigger (base64 adds a third) and slower.
 */
export const MAX_LONG_SIDE_PX = 1920;
export const MAX_SHORT_SIDE_PX = 1080;
/** An image already this small and within the sides above is sent as it came. */
export const KEEP_AS_IS_BYTES = 2_000_000;
/** Upper bound for one prepared image: two frames stay under ~8 MB of JSON in one create. */
export const MAX_PREPARED_BYTES = 3_000_000;
const JPEG_QUALITIES = [88, 78, 68, 58];

type Images = Partial<Record<ImageSlot, CheckedImage>>;

/**
 * Decodes each checked image with libvips (sharp), applies its EXIF rotation, and re-encodes it
 * as JPEG within MAX_LONG_SIDE_PX × MAX_SHORT_SIDE_PX when it is bigger than that or than
 * KEEP_AS_IS_BYTES. The aspect ratio is kept (MiniMax follows it), so earlier checks still hold.
 * An image that passes the header check but cannot be decoded is refused with one sentence.
 */
export async function prepareImages(images: Images): Promise<Images> {
  const out: Images = {};
  for (const slot of Object.keys(images) as ImageSlot[]) {
    out[slot] = await prepareImage(images[slot]!, slot);
  }
  return out;
}

export async function prepareImage(image: CheckedImage, slot: ImageSlot): Promise<CheckedImage> {
  const long = Math.max(image.width, image.height);
  const short = Math.min(image.width, image.height);
  const small = long <= MAX_LONG_SIDE_PX && short <= MAX_SHORT_SIDE_PX;
  if (small && image.bytes.length <= KEEP_AS_IS_BYTES) {
    await decodable(image, slot);
    return image;
  }
  const scale = Math.min(1, MAX_LONG_SIDE_PX / long, MAX_SHORT_SIDE_PX / short);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  let bytes: Buffer = Buffer.alloc(0);
  for (const quality of JPEG_QUALITIES) {
    bytes = await encode(image, slot, width, height, quality);
    if (bytes.length <= MAX_PREPARED_BYTES) break;
  }
  return { bytes, mime: 'image/jpeg', width, height };
}

/** libvips is loaded on the first image, so text-only processes never pay its memory. */
async function loadSharp(): Promise<typeof import('sharp')> {
  return (await import('sharp')).default;
}

async function encode(
  image: CheckedImage,
  slot: ImageSlot,
  width: number,
  height: number,
  quality: number,
): Promise<Buffer> {
  const sharp = await loadSharp();
  try {
    return await sharp(image.bytes, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize(width, height, { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer();
  } catch (err) {
    throw unreadable(slot, err);
  }
}

async function decodable(image: CheckedImage, slot: ImageSlot): Promise<void> {
  const sharp = await loadSharp();
  try {
    // Decoding a few pixel rows catches truncated or corrupt files the header check misses.
    await sharp(image.bytes).resize(8, 8, { fit: 'fill' }).raw().toBuffer();
  } catch (err) {
    throw unreadable(slot, err);
  }
}

function unreadable(slot: ImageSlot, cause: unknown): InputError {
  const err = new InputError({ code: 'image_unreadable', params: { label: SLOT_LABELS[slot] } });
  (err as { cause?: unknown }).cause = cause;
  return err;
}
