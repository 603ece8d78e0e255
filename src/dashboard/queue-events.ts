import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './respond.js';
import type { Viewer } from './session.js';
import type { QueueRow } from './team-data.js';

const HEARTBEAT_MS = 15_000;
const COALESCE_MS = 150;

/**
 * Server-sent events for the queue page: each open page gets its team's jobs in progress at
 * once and again after every change the engine announces for that team (coalesced), plus a
 * comment every 15 s so idle connections are not closed.
 */
export class QueueEvents {
  private readonly streams = new Set<{ viewer: Viewer; push: () => void; end: () => void }>();

  constructor(private readonly snapshot: (viewer: Viewer) => Promise<QueueRow[]>) {}

  open(res: ServerResponse, viewer: Viewer): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    let timer: NodeJS.Timeout | undefined;
    const send = async () => {
      timer = undefined;
      const rows = await this.snapshot(viewer).catch(() => undefined);
      if (rows && !res.writableEnded) res.write(`event: queue\ndata: ${JSON.stringify(rows)}\n\n`);
    };
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stream = {
      viewer,
      push: () => {
        timer ??= setTimeout(() => void send(), COALESCE_MS);
      },
      end: () => {
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        this.streams.delete(stream);
        if (!res.writableEnded) res.end();
      },
    };
    this.streams.add(stream);
    res.on('close', stream.end);
    void send();
  }

  /** A job of this team changed. */
  changed(platform: string, workspaceId: string | undefined): void {
    for (const s of this.streams)
      if (s.viewer.platform === platform && s.viewer.workspaceId === workspaceId) s.push();
  }

  closeAll(): void {
    for (const s of [...this.streams]) s.end();
  }
}
