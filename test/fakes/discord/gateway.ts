import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Recorder } from './recorder.js';

export interface IdentifyInfo {
  token: string;
  intents: number;
  at: number;
}

export interface GatewayOptions {
  server: Server;
  recorder: Recorder;
  token: string;
  heartbeatIntervalMs: number;
  /** READY payload (without session fields) and the GUILD_CREATEs that follow it. */
  ready: () => { ready: Record<string, unknown>; guilds: unknown[] };
}

/**
 * The gateway side of the fake: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs, and
 * dispatches with a growing sequence number. Plain JSON frames (discord.js without zlib-sync).
 */
export class FakeGateway {
  readonly identifies: IdentifyInfo[] = [];
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly identified = new Set<WebSocket>();
  private seq = 0;
  private sessions = 0;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly opts: GatewayOptions) {
    this.wss = new WebSocketServer({ server: opts.server });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  /** Resolves once a client has identified (now, if one already has); rejects after `timeoutMs`. */
  waitForIdentify(timeoutMs = 10_000): Promise<void> {
    if (this.identified.size > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no client identified within ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref();
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends a dispatch (op 0) to every identified connection. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const frame = { op: 0, t, s: this.seq, d };
    for (const ws of this.identified) this.send(ws, frame);
  }

  get connectionCount(): number {
    return this.identified.size;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.identified.delete(ws);
    });
    ws.on('message', (raw) => this.onFrame(ws, String(raw)));
    this.send(ws, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } });
  }

  private onFrame(ws: WebSocket, text: string): void {
    let frame: { op: number; d?: unknown };
    try {
      frame = JSON.parse(text);
    } catch {
      ws.close(4002, 'Decode error');
      return;
    }
    this.opts.recorder.addFrame({ at: Date.now(), direction: 'in', op: frame.op, d: frame.d });
    if (frame.op === 1) this.send(ws, { op: 11 });
    else if (frame.op === 2) this.onIdentify(ws, frame.d as { token: string; intents: number });
    // RESUME is not supported: an invalid session makes the client identify afresh.
    else if (frame.op === 6) this.send(ws, { op: 9, d: false });
  }

  private onIdentify(ws: WebSocket, d: { token: string; intents: number }): void {
    if (d.token !== this.opts.token) {
      ws.close(4004, 'Authentication failed');
      return;
    }
    this.identifies.push({ token: d.token, intents: d.intents, at: Date.now() });
    this.identified.add(ws);
    this.sessions += 1;
    const { ready, guilds } = this.opts.ready();
    const address = this.opts.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    this.seq += 1;
    this.send(ws, {
      op: 0,
      t: 'READY',
      s: this.seq,
      d: {
        ...ready,
        v: 10,
        session_id: `session-${this.sessions}`,
        resume_gateway_url: `ws://127.0.0.1:${port}`,
        shard: [0, 1],
      },
    });
    for (const g of guilds) {
      this.seq += 1;
      this.send(ws, { op: 0, t: 'GUILD_CREATE', s: this.seq, d: g });
    }
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private send(ws: WebSocket, frame: { op: number; t?: string; s?: number; d?: unknown }): void {
    this.opts.recorder.addFrame({
      at: Date.now(),
      direction: 'out',
      op: frame.op,
      ...(frame.t ? { t: frame.t } : {}),
      d: frame.d,
    });
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }
}
