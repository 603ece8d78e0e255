import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Job } from '../core/jobs/job.js';
import type { HttpRoute } from './http-route.js';
import { sendText } from './respond.js';

export const VIDEO_PATH_PREFIX = '/videos/';

/** Only ids of this shape are looked up; nothing else ever reaches the file system. */
export const VIDEO_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export type VideoLinkOutcome = 'served' | 'partial' | 'not_found' | 'expired' | 'not_ready';

export interface VideoRouteOptions {
  config: Pick<Config, 'DATA_DIR' | 'VIDEO_LINK_TTL_H'>;
  /** Any job lookup: the VideoService or the JobStore. */
  jobs: { get(id: string): Promise<Job | undefined> };
  clock: Clock;
  logger: Logger;
  onServe?: (outcome: VideoLinkOutcome) => void;
}

/** Where the downloader keeps a job's MP4; the route serves exactly this file. */
export function videoFilePath(dataDir: string, jobId: string): string {
  return join(dataDir, 'videos', `${jobId}.mp4`);
}

/**
 * GET/HEAD /videos/<jobId>.mp4 — the link posted when a video is too big to upload (SPEC §1.2
 * step 5). The job id is the secret, so unknown, unfinished and expired ids all look the same
 * to a visitor (404) apart from 410 for an expired link its owner once had.
 */
export function createVideoRoute(options: VideoRouteOptions): HttpRoute {
  const logger = options.logger.child({ component: 'video-links' });
  const ttlMs = options.config.VIDEO_LINK_TTL_H * 3_600_000;
  const record = (outcome: VideoLinkOutcome) => options.onServe?.(outcome);

  const handle: HttpRoute['handle'] = async (req, res) => {
    const name = (req.url ?? '').split('?')[0]!.slice(VIDEO_PATH_PREFIX.length);
    const jobId = name.endsWith('.mp4') ? name.slice(0, -4) : '';
    if (!VIDEO_ID_PATTERN.test(jobId)) return notFound(res, record);
    const job = await options.jobs.get(jobId);
    // A link is posted while the job is `uploading` (the file is complete and verified by then),
    // and platforms fetch it for a preview at once, so that state is served too.
    if (!job || job.id !== jobId || (job.state !== 'done' && job.state !== 'uploading')) {
      record(job ? 'not_ready' : 'not_found');
      return sendText(res, 404, 'not found');
    }
    const expiresAt = (job.finishedAt ?? job.updatedAt) + ttlMs;
    const leftS = Math.floor((expiresAt - options.clock.now()) / 1000);
    if (leftS < 0) {
      record('expired');
      return sendText(res, 410, 'This video link has expired.');
    }
    const path = videoFilePath(options.config.DATA_DIR, jobId);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return notFound(res, record);

    const headers = {
      'last-modified': info.mtime.toUTCString(),
      'cache-control': `private, max-age=${Math.min(3600, leftS)}`,
      'content-disposition': `inline; filename="${jobId}.mp4"`,
      'x-content-type-options': 'nosniff',
    };
    await sendVideoFile(req, res, path, info.size, headers, (sent) => {
      if (sent !== 'unsatisfiable') record(sent);
    }).catch((err: unknown) => {
      // Mostly a viewer closing the player mid-download.
      logger.debug({ err: (err as Error).message, jobId }, 'video stream ended early');
    });
  };

  // The HTTP server answers HEAD through this GET route.
  return { method: 'GET', path: VIDEO_PATH_PREFIX, handle };
}

function notFound(res: ServerResponse, record: (o: VideoLinkOutcome) => void): void {
  record('not_found');
  sendText(res, 404, 'not found');
}

/**
 * Streams an MP4 with byte ranges (RFC 9110: 206 for one range, 416 when unsatisfiable), with
 * backpressure so memory stays flat whatever the size. `onHead` learns what was answered once
 * the head is sent. Rejects when the stream breaks off (the viewer closed the player).
 */
export async function sendVideoFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  size: number,
  extraHeaders: Record<string, string>,
  onHead?: (sent: 'served' | 'partial' | 'unsatisfiable') => void,
): Promise<void> {
  const range = parseRange(req.headers.range, size);
  const headers: Record<string, string | number> = {
    'content-type': 'video/mp4',
    'accept-ranges': 'bytes',
    ...extraHeaders,
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
    onHead?.('unsatisfiable');
    return void res.end();
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  headers['content-length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, headers);
  onHead?.(range ? 'partial' : 'served');
  if (req.method === 'HEAD' || size === 0) return void res.end();
  await pipeline(createReadStream(path, { start, end }), res);
}

/**
 * One `bytes=` range (RFC 9110 §14.1.2). Multiple ranges are answered with the whole file, which
 * the RFC allows; a malformed header is ignored the same way.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
