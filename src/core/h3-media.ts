import type { MessageParams } from '../messages/index.js';
import { InputError } from './errors.js';
import { checkImage, SLOT_LABELS, V2_IMAGE_RULES } from './images.js';
import {
  type CheckedClip,
  type CheckedImage,
  type ImageSlot,
  type MediaInput,
  type MediaRole,
  type RawVideoRequest,
  REF_SLOTS,
} from './request-types.js';

/**
 * MiniMax-H3's media rules (research/minimax-h3.md §2 and §6), checked before anything is paid
 * for. Sizes are read as decimal megabytes, the stricter reading.
 */
export const H3_MEDIA_LIMITS = {
  referenceImages: 9,
  referenceVideos: 3,
  referenceAudios: 3,
  references: 12,
  videoBytes: 50_000_000,
  audioBytes: 15_000_000,
  clipMinSeconds: 2,
  clipMaxSeconds: 15,
  /** Reference videos together, and reference audios together. */
  totalSeconds: 15,
  minSide: 256,
  maxSide: 5760,
  minFps: 23.976,
  maxFps: 60,
} as const;

const VIDEO_CODECS = /^(avc1|avc3|hvc1|hev1)/;
/** Measurements round (a 23.976 fps clip can read as 23.97, a 15 s clip as 15.004 s). */
const ROUNDING_TOLERANCE = 0.01;

type Kind = 'image' | 'video' | 'audio';
interface Item {
  input: MediaInput;
  kind: Kind;
  role?: MediaRole;
}

export interface CheckedMedia {
  /** Frames in `first`/`last`; reference images in `subject`, `ref2`…`ref9`, in the order sent. */
  images: Partial<Record<ImageSlot, CheckedImage>>;
  clips: CheckedClip[];
  frames: boolean;
  references: boolean;
}

const LEGACY_ROLE: Record<'first' | 'last' | 'subject', MediaRole> = {
  first: 'first_frame',
  last: 'last_frame',
  subject: 'reference',
};

/**
 * Sorts a request's files into frames and references by one documented rule, then checks each.
 * 1. An explicit role wins (the `image`/`last_frame` options are frames, `subject` a reference).
 * 2. Video and audio clips are always references.
 * 3. Unlabelled images: references when anything else is a reference; otherwise one image is
 *    the first frame, two are the first and last frame, three or more are references.
 */
export function sortMedia(raw: RawVideoRequest): CheckedMedia {
  const items: Item[] = [];
  for (const slot of ['first', 'last', 'subject'] as const) {
    const image = raw.images?.[slot];
    if (image) items.push({ input: image, kind: 'image', role: LEGACY_ROLE[slot] });
  }
  for (const input of raw.media ?? []) items.push({ input, kind: kindOf(input), ...roleOf(input) });
  assignRoles(items);
  checkCombination(items);
  return checkEach(items);
}

function kindOf(input: MediaInput): Kind {
  const probe = input.probe;
  if (!probe || probe.kind === 'image') return 'image';
  if (probe.kind === 'video' || probe.kind === 'audio') return probe.kind;
  throw refuse('h3_media_format', input, probe.format ? { found: probe.format.toUpperCase() } : {});
}

const roleOf = (input: MediaInput) => (input.role ? { role: input.role } : {});

function assignRoles(items: Item[]): void {
  for (const item of items) {
    if (item.kind === 'image') continue;
    if (item.role === 'first_frame' || item.role === 'last_frame')
      throw refuse('h3_clip_as_frame', item.input);
    item.role = 'reference';
  }
  const unlabelled = items.filter((i) => !i.role);
  if (unlabelled.length === 0) return;
  const anyReference = items.some((i) => i.role === 'reference');
  const images = items.filter((i) => i.kind === 'image').length;
  if (anyReference || images >= 3) {
    for (const item of unlabelled) item.role = 'reference';
    return;
  }
  const free: MediaRole[] = (['first_frame', 'last_frame'] as const).filter(
    (role) => !items.some((i) => i.role === role),
  );
  for (const item of unlabelled) {
    const role = free.shift();
    if (!role) throw new InputError({ code: 'h3_too_many_frames' });
    item.role = role;
  }
}

function checkCombination(items: Item[]): void {
  const count = (pred: (i: Item) => boolean) => items.filter(pred).length;
  if (count((i) => i.role === 'first_frame') > 1 || count((i) => i.role === 'last_frame') > 1)
    throw new InputError({ code: 'h3_too_many_frames' });
  const refs = items.filter((i) => i.role === 'reference');
  if (refs.length > 0 && refs.length < items.length)
    throw new InputError({ code: 'h3_frames_and_references' });
  const L = H3_MEDIA_LIMITS;
  const limits: [Kind, number][] = [
    ['image', L.referenceImages],
    ['video', L.referenceVideos],
    ['audio', L.referenceAudios],
  ];
  for (const [kind, max] of limits) {
    const found = count((i) => i.role === 'reference' && i.kind === kind);
    if (found > max) throw new InputError({ code: `h3_too_many_${kind}s`, params: { found, max } });
  }
  if (refs.length > L.references)
    throw new InputError({ code: 'h3_too_many_references', params: { found: refs.length } });
  if (count((i) => i.kind === 'audio') > 0 && count((i) => i.kind !== 'audio') === 0)
    throw new InputError({ code: 'h3_audio_alone' });
}

function checkEach(items: Item[]): CheckedMedia {
  const images: Partial<Record<ImageSlot, CheckedImage>> = {};
  const clips: CheckedClip[] = [];
  const refSlots: ImageSlot[] = ['subject', ...REF_SLOTS];
  const counters = { video: 0, audio: 0 };
  for (const item of items) {
    if (item.kind === 'image') {
      const slot: ImageSlot =
        item.role === 'first_frame'
          ? 'first'
          : item.role === 'last_frame'
            ? 'last'
            : refSlots.shift()!;
      images[slot] = checkImage(item.input, SLOT_LABELS[slot], V2_IMAGE_RULES);
    } else {
      counters[item.kind] += 1;
      clips.push(checkClip(item.input, item.kind, counters[item.kind]));
    }
  }
  for (const kind of ['video', 'audio'] as const) {
    const total = clips.filter((c) => c.kind === kind).reduce((n, c) => n + c.seconds, 0);
    if (total > H3_MEDIA_LIMITS.totalSeconds + ROUNDING_TOLERANCE)
      throw new InputError({
        code: `h3_${kind}_total`,
        params: { seconds: total.toFixed(1), max: H3_MEDIA_LIMITS.totalSeconds },
      });
  }
  return {
    images,
    clips,
    frames: items.some((i) => i.role !== 'reference'),
    references: items.some((i) => i.role === 'reference'),
  };
}

function checkClip(input: MediaInput, kind: 'video' | 'audio', n: number): CheckedClip {
  const L = H3_MEDIA_LIMITS;
  const probe = input.probe!;
  // Which clip, as codes: the catalog words it ("Reference video 1", "参考视频 1").
  const no = (code: string, params: MessageParams = {}) =>
    refuse(code, input, { kind, index: n, ...params });
  const formats = kind === 'video' ? ['mp4', 'mov'] : ['mp3', 'wav'];
  if (!probe.format || !formats.includes(probe.format))
    throw no(`h3_${kind}_format`, probe.format ? { found: probe.format.toUpperCase() } : {});
  const maxBytes = kind === 'video' ? L.videoBytes : L.audioBytes;
  if (input.bytes.length > maxBytes)
    throw no('h3_clip_too_large', { size: mb(input.bytes.length), max: mb(maxBytes) });
  if (kind === 'video' && !VIDEO_CODECS.test(probe.videoCodec ?? '')) throw no('h3_video_codec');
  const seconds = probe.seconds;
  if (seconds === undefined) throw no(`h3_${kind}_format`);
  if (
    seconds < L.clipMinSeconds - ROUNDING_TOLERANCE ||
    seconds > L.clipMaxSeconds + ROUNDING_TOLERANCE
  )
    throw no('h3_clip_length', {
      seconds: seconds.toFixed(1),
      min: L.clipMinSeconds,
      max: L.clipMaxSeconds,
    });
  if (kind === 'video') {
    const { width = 0, height = 0, fps = 0 } = probe;
    if (Math.min(width, height) < L.minSide || Math.max(width, height) > L.maxSide)
      throw no('h3_video_size', { width, height, min: L.minSide, max: L.maxSide });
    const aspect = width / height;
    if (aspect < 0.4 || aspect > 2.5) throw no('h3_video_aspect', { width, height });
    if (fps < L.minFps - ROUNDING_TOLERANCE || fps > L.maxFps + ROUNDING_TOLERANCE)
      throw no('h3_video_fps', { fps: fps.toFixed(1) });
  }
  return {
    kind,
    bytes: input.bytes,
    mime: probe.mime ?? (kind === 'video' ? 'video/mp4' : 'audio/mpeg'),
    seconds: Math.round(seconds * 100) / 100,
    ...(input.name ? { name: input.name } : {}),
  };
}

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;

function refuse(code: string, input: MediaInput, params: MessageParams = {}): InputError {
  return new InputError({
    code,
    params: { ...(input.name ? { name: input.name } : {}), ...params },
  });
}
