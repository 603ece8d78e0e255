import { fileTypeFromBuffer } from 'file-type';
import { createFile, Log, type MP4BoxBuffer } from 'mp4box';
import { parseBuffer } from 'music-metadata';
import type { MediaInput, MediaProbe, RawVideoRequest } from './request-types.js';

const IMAGE_FORMATS = new Set(['jpg', 'png', 'webp', 'gif', 'bmp', 'tif', 'heic', 'avif']);
const MP4_FORMATS = new Set(['mp4', 'mov', 'm4v']);
const AUDIO_FORMATS = new Set(['mp3', 'wav', 'ogg', 'flac', 'm4a', 'aac', 'opus', 'webm']);

/**
 * Reads what a file is from its bytes with maintained parsers: file-type for the format,
 * mp4box for MP4/MOV (length, pixel size, frame rate, codec), music-metadata for audio length.
 * Never throws: a file it cannot read is `other`, and the rules in h3-media.ts say what to send.
 */
export async function probeMedia(bytes: Buffer): Promise<MediaProbe> {
  const type = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (!type) return { kind: 'other' };
  const base = { format: type.ext, mime: type.mime };
  if (IMAGE_FORMATS.has(type.ext)) return { kind: 'image', ...base };
  if (MP4_FORMATS.has(type.ext)) return { kind: 'video', ...base, ...readMp4(bytes) };
  if (AUDIO_FORMATS.has(type.ext)) {
    const meta = await parseBuffer(bytes, { mimeType: type.mime }, { duration: true }).catch(
      () => undefined,
    );
    const seconds = meta?.format.duration;
    return { kind: 'audio', ...base, ...(seconds !== undefined ? { seconds } : {}) };
  }
  return { kind: type.mime.startsWith('video/') ? 'video' : 'other', ...base };
}

/** Probes every media item of a request that has no probe yet (validation is synchronous). */
export async function withProbes(raw: RawVideoRequest): Promise<RawVideoRequest> {
  if (!raw.media?.length) return raw;
  const media: MediaInput[] = await Promise.all(
    raw.media.map(async (m) => (m.probe ? m : { ...m, probe: await probeMedia(m.bytes) })),
  );
  return { ...raw, media };
}

type Mp4Facts = Pick<MediaProbe, 'seconds' | 'width' | 'height' | 'fps' | 'videoCodec'>;

function readMp4(bytes: Buffer): Mp4Facts {
  // mp4box logs unknown QuickTime boxes as warnings; they are harmless for what is read here.
  Log.setLogLevel(Log.error);
  const file = createFile();
  let facts: Mp4Facts = {};
  file.onReady = (info) => {
    const video = info.videoTracks[0];
    const seconds = info.timescale > 0 ? info.duration / info.timescale : undefined;
    facts = { ...(seconds ? { seconds } : {}) };
    if (!video) return;
    const trackSeconds = video.timescale > 0 ? video.duration / video.timescale : 0;
    facts.width = video.video?.width ?? video.track_width;
    facts.height = video.video?.height ?? video.track_height;
    facts.videoCodec = video.codec;
    if (trackSeconds > 0) facts.fps = video.nb_samples / trackSeconds;
  };
  try {
    const buffer = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as MP4BoxBuffer;
    buffer.fileStart = 0;
    file.appendBuffer(buffer);
    file.flush();
  } catch {
    // A damaged file reads as whatever was parsed before the damage (often nothing).
  }
  return facts;
}
