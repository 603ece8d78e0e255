import { H3_MEDIA_LIMITS } from '../core/h3-media.js';
import { isV2Model } from '../core/h3-models.js';
import { resolveModelName } from '../core/models.js';

/**
 * Chat files MiniMax-H3 may use: images, MP4/MOV clips, MP3/WAV audio. A first filter by what
 * the platform says; the core reads the bytes (media-probe.ts) and refuses anything else.
 */
const MEDIA_TYPE =
  /^(image\/(jpeg|png|webp)|video\/(mp4|quicktime)|audio\/(mpeg|mp3|wav|x-wav|wave|vnd\.wave))\b/i;
const MEDIA_EXT = /\.(jpe?g|png|webp|mp4|mov|mp3|wav)$/i;

export function isMediaFile(file: { name?: string | null; contentType?: string | null }): boolean {
  return file.contentType ? MEDIA_TYPE.test(file.contentType) : MEDIA_EXT.test(file.name ?? '');
}

/** Extensions for file pickers (Discord attachment options, Slack file inputs). */
export const MEDIA_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'mp4', 'mov', 'mp3', 'wav'] as const;

/** Frames and references never mix, so a request carries at most the 12 references. */
export const MAX_CHAT_FILES = H3_MEDIA_LIMITS.references;

/** The largest chat file worth downloading: a 50 MB reference video. */
export const MAX_CHAT_FILE_BYTES = H3_MEDIA_LIMITS.videoBytes;

/**
 * Whether a chat request goes to MiniMax-H3 (the model named, else the operator's
 * DEFAULT_MODEL): only then do clips and more than two images make sense.
 */
export function wantsH3(model: string | undefined, defaultModel: string | undefined): boolean {
  const named = model?.trim() || defaultModel?.trim();
  if (!named) return false;
  return isV2Model(resolveModelName(named) ?? named);
}
