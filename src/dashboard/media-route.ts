import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendVideoFile, VIDEO_ID_PATTERN, videoFilePath } from '../server/video-route.js';
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
  await sendVideoFile(req, res, path, info.size, {
    ...SECURITY_HEADERS,
    'cache-control': 'private, max-age=3600',
  }).catch(() => {
    // The viewer closed the player mid-download.
  });
}
