import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './respond.js';
import type { Viewer } from './session.js';
import type { QueueRow } from './team-data.js';

const HEARTBEAT_MS = 15_000;
const COALESCE_MS = 150;

export interface QueueEventsOptions {
  /** The team's jobs in progress, as the queue page shows them. */
  snapshot: (viewer: Viewer) => Promise<QueueRow[]>;
  /**
   * How often an open page re-reads its team's queue even without a local event (default 5 s):
   * with several instances on Redis, a job may run on another instance, whose engine events
   * never reach this one. Only a changed list is sent.
   */
  refreshMs?: number;
}

interface Stream {
  viewer: Viewer;
  push: () => void;
  end: () => void;
}

/**
 * Server-sent events for the queue page: each open page gets its team's jobs in progress at
 * once, again after every change the engine announces for that team (coalesced) and whenever a
 * periodic re-read finds a change, plus a comment every 15 s so idle connections are not closed.
 */
export class QueueEvents {
  private readonly streams = new Set<Stream>();
  private readonly refreshMs: number;

  constructor(private readonly o: QueueEventsOptions) {
    this.refreshMs = o.refreshMs ?? 5_000;
  }

  open(res: ServerResponse, viewer: Viewer): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    let timer: NodeJS.Timeout | undefined;
    let lastShape: string | undefined;
    const send = async (onlyIfChanged: boolean) => {
      const rows = await this.o.snapshot(viewer).catch(() => undefined);
      if (!rows || res.writableEnded) return;
      // The time left counts down in the page itself; a new estimate alone is not a change.
      const shape = JSON.stringify(rows.map(({ etaSeconds: _, ...row }) => row));
      if (onlyIfChanged && shape === lastShape) return;
      lastShape = shape;
      res.write(`event: queue\ndata: ${JSON.stringify(rows)}\n\n`);
    };
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const refresh = setInterval(() => void send(true), this.refreshMs);
    refresh.unref();
    const stream: Stream = {
      viewer,
      push: () => {
        timer ??= setTimeout(() => {
          timer = undefined;
          void send(false);
        }, COALESCE_MS);
      },
      end: () => {
        clearInterval(heartbeat);
        clearInterval(refresh);
        if (timer) clearTimeout(timer);
        this.streams.delete(stream);
        if (!res.writableEnded) res.end();
      },
    };
    this.streams.add(stream);
    res.on('close', stream.end);
    void send(false);
  }

  /** A job of this team changed. */
  changed(platform: string, workspaceId: string | undefined): void {
    for (const s of this.streams)
      if (s.viewer.platform === platform && s.viewer.workspaceId === workspaceId) s.push();
  }

  /** Open pages, for tests and shutdown. */
  get size(): number {
    return this.streams.size;
  }

  closeAll(): void {
    for (const s of [...this.streams]) s.end();
  }
}
