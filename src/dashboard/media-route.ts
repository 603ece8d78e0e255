import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseRange, VIDEO_ID_PATTERN, videoFilePath } from '../server/video-route.js';
import { SECURITY_HEADERS, sendJson } from './respond.js';
import type { Viewer } from './session.js';
import type { TeamData } from './team-data.js';

/**
 * A team video for the gallery's player, with byte ranges (seeking). Only the viewer's team's
 * finished videos exist here; anything else is 404 alike.
 */
export async function serveTeamVideo(
  req: IncomingMessage,
  res: ServerResponse,
  viewer: Viewer,
  file: string,
  data: TeamData,
  dataDir: string,
): Promise<void> {
  const id = file.endsWith('.mp4') ? file.slice(0, -4) : '';
  const job = VIDEO_ID_PATTERN.test(id) ? await data.job(viewer, id) : undefined;
  const path = job?.state === 'done' ? videoFilePath(dataDir, job.id) : undefined;
  const info = path ? await stat(path).catch(() => undefined) : undefined;
  if (!path || !info?.isFile()) return sendJson(res, 404, { error: 'not found' });
  const size = info.size;
  const range = parseRange(req.headers.range, size);
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': 'video/mp4',
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=3600',
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
    return void res.end();
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  headers['content-length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || size === 0) return void res.end();
  await pipeline(createReadStream(path, { start, end }), res).catch(() => {
    // The viewer closed the player mid-download.
  });
}
