import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

/** What the download route serves: a real MP4 file or a synthetic one of a given size. */
export type VideoSource = { kind: 'file'; path: string } | { kind: 'synthetic'; bytes: number };

/** assets/sample.mp4 of the package; the same relative path works from src/ and dist/. */
export function defaultVideoPath(): string {
  return fileURLToPath(new URL('../../assets/sample.mp4', import.meta.url));
}

/** assets/sample-sound.mp4: H.264 with an AAC track, what MiniMax-H3 delivers. */
export function defaultSoundVideoPath(): string {
  return fileURLToPath(new URL('../../assets/sample-sound.mp4', import.meta.url));
}

const FTYP = Buffer.from([
  0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d,
  0x6d, 0x70, 0x34, 0x31,
]);
const CHUNK = 64 * 1024;

/** Smallest synthetic video: ftyp plus a 64-bit mdat header. */
export const MIN_SYNTHETIC_BYTES = FTYP.length + 16;

function mdatHeader(size: number): Buffer {
  if (size <= 0xffff_ffff) {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(size, 0);
    h.write('mdat', 4, 'latin1');
    return h;
  }
  const h = Buffer.alloc(16);
  h.writeUInt32BE(1, 0);
  h.write('mdat', 4, 'latin1');
  h.writeBigUInt64BE(BigInt(size), 8);
  return h;
}

/** Yields `limit` bytes of a valid-looking MP4 (ftyp, then one mdat of filler) without buffering it. */
function* syntheticMp4(total: number, limit: number): Generator<Buffer> {
  const mdatSize = total - FTYP.length;
  const head = Buffer.concat([FTYP, mdatHeader(mdatSize)]);
  const filler = Buffer.alloc(CHUNK, 0);
  let sent = 0;
  const first = head.subarray(0, Math.min(head.length, limit));
  sent += first.length;
  yield first;
  while (sent < limit) {
    const n = Math.min(CHUNK, limit - sent);
    sent += n;
    yield n === CHUNK ? filler : filler.subarray(0, n);
  }
}

export async function sizeOf(source: VideoSource): Promise<number> {
  return source.kind === 'file' ? (await stat(source.path)).size : source.bytes;
}

/** Streams the video; with `truncate`, declares the full length but cuts the socket halfway. */
export async function serveVideo(
  res: ServerResponse,
  source: VideoSource,
  truncate: boolean,
): Promise<void> {
  const total = await sizeOf(source);
  const limit = truncate ? Math.floor(total / 2) : total;
  res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(total) });
  const body =
    source.kind === 'file'
      ? createReadStream(source.path, { start: 0, end: Math.max(0, limit - 1) })
      : Readable.from(syntheticMp4(total, limit), { objectMode: false });
  if (!truncate) {
    await pipeline(body, res);
    return;
  }
  body.on('end', () => {
    // Let the half already written reach the client before the connection is cut.
    res.socket?.end(() => res.socket?.destroy());
    setTimeout(() => res.destroy(), 50).unref();
  });
  body.pipe(res, { end: false });
}
