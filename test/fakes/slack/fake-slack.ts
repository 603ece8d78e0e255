import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { handleHttp } from './http-routes.js';
import {
  type BlockActionInput,
  blockActionPayload,
  eventCallback,
  type SlashCommandInput,
  slashCommandFields,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from './payloads.js';
import { Recorder } from './recorder.js';
import { slackSignature } from './sign.js';
import { type FakeFile, FakeSlackState, type Fault, fileJson } from './state.js';
import type { FakeIdentity } from './web-api.js';

/** What the bot answered: the Socket Mode ack payload, or the HTTP status and body. */
export interface AckResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface DeliveryOptions {
  /** Redelivery number (Socket Mode `retry_attempt`, HTTP `X-Slack-Retry-Num`). */
  retryNum?: number;
  retryReason?: string;
  /** Re-use an envelope id (Socket Mode) to model the same envelope arriving twice. */
  envelopeId?: string;
}

export interface MentionInput extends DeliveryOptions {
  text: string;
  userId?: string;
  channelId?: string;
  files?: FakeFile[];
  threadTs?: string;
  ts?: string;
  eventId?: string;
}

/**
 * A local Slack: Web API, Socket Mode WebSocket, upload host, `url_private` file host and
 * `response_url` sink on one 127.0.0.1 port. Point Bolt at it with `clientOptions.slackApiUrl`.
 */
export class FakeSlack {
  readonly recorder = new Recorder();
  readonly state = new FakeSlackState();
  readonly signingSecret = 'fake-signing-secret-123';
  /** Where signed HTTP deliveries go; unset means Socket Mode. */
  httpTarget: string | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();
  private readonly socketWaiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly id: FakeIdentity,
  ) {}

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlack(server, {
      baseUrl: `http://127.0.0.1:${port}`,
      botToken: 'xoxb-fake-bot-token',
      appToken: 'xapp-fake-app-token',
      teamId: 'T0001',
      botUserId: 'U0BOT',
      botId: 'B0BOT',
      appId: 'A0APP',
    });
    server.on('request', (req, res) => {
      handleHttp(req, res, fake).catch((e) => {
        res.writeHead(500).end(String(e));
      });
    });
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/link/')) return socket.destroy();
      fake.wss.handleUpgrade(req, socket, head, (ws) => fake.onSocket(ws));
    });
    return fake;
  }

  /** `SLACK_API_URL` for the bot. */
  get apiUrl(): string {
    return `${this.id.baseUrl}/api/`;
  }

  get botToken(): string {
    return this.id.botToken;
  }

  get appToken(): string {
    return this.id.appToken;
  }

  /** Queues faulty replies; `method` is a Web API method or `upload` for the upload URL. */
  fail(method: string, fault: Fault, times = 1): void {
    this.state.fail(method, fault, times);
  }

  /** A file a user has uploaded; the bot can fetch its `url_private` with the bot token. */
  addUserFile(bytes: Buffer, name: string, mimetype = 'image/png', user = 'U0USER'): FakeFile {
    return this.state.addFile(this.id.baseUrl, bytes, { name, mimetype, user });
  }

  /** Resolves once a Socket Mode client has connected and received `hello`. */
  waitForSocket(timeoutMs = 5_000): Promise<void> {
    if (this.sockets.size) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no Socket Mode connection')), timeoutMs);
      this.socketWaiters.add(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  slashCommand(input: SlashCommandInput, opts: DeliveryOptions = {}): Promise<AckResult> {
    const fields = slashCommandFields(input, this.id, this.state.next());
    if (!this.httpTarget) return this.sendEnvelope('slash_commands', fields, opts);
    return this.postSigned(new URLSearchParams(fields).toString(), 'form', opts);
  }

  blockAction(input: BlockActionInput, opts: DeliveryOptions = {}): Promise<AckResult> {
    return this.interactive(blockActionPayload(input, this.id, this.state.next()), opts);
  }

  viewSubmission(input: ViewSubmissionInput, opts: DeliveryOptions = {}): Promise<AckResult> {
    return this.interactive(viewSubmissionPayload(input, this.id, this.state.next()), opts);
  }

  /** A user message mentioning the bot (stored, so thread lookups find it) and its app_mention. */
  appMention(input: MentionInput): Promise<AckResult> {
    const channel = input.channelId ?? 'C0CHANNEL';
    const ts = input.ts ?? this.state.nextTs();
    const user = input.userId ?? 'U0USER';
    if (!this.state.message(channel, ts)) {
      const files = input.files?.map((f) => f.id);
      this.state.messages.push({ channel, ts, text: input.text, user, files, updates: 0 });
      if (input.threadTs) this.state.messages.at(-1)!.threadTs = input.threadTs;
    }
    const event = {
      type: 'app_mention',
      user,
      text: input.text,
      ts,
      channel,
      event_ts: ts,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      ...(input.files?.length ? { files: input.files.map(fileJson), upload: false } : {}),
    };
    const body = eventCallback(event, input.eventId ?? `Ev${this.state.next()}`, this.id);
    if (!this.httpTarget) return this.sendEnvelope('events_api', body, input);
    return this.postSigned(JSON.stringify(body), 'json', input);
  }

  /** Seeds a plain user message (for example a thread parent with images). */
  postUserMessage(channel: string, text: string, files: FakeFile[] = [], user = 'U0USER'): string {
    const ts = this.state.nextTs();
    this.state.messages.push({
      channel,
      ts,
      text,
      user,
      files: files.map((f) => f.id),
      updates: 0,
    });
    return ts;
  }

  /** Sends a raw signed (or deliberately mis-signed) POST to the bot's HTTP endpoint. */
  async postSigned(
    body: string,
    kind: 'form' | 'json',
    opts: DeliveryOptions & { badSignature?: boolean; timestampSec?: number } = {},
  ): Promise<AckResult> {
    if (!this.httpTarget) throw new Error('httpTarget is not set');
    const ts = opts.timestampSec ?? Math.floor(Date.now() / 1000);
    const secret = opts.badSignature ? 'wrong-secret-000' : this.signingSecret;
    const headers: Record<string, string> = {
      // Bolt compares this header with exact equality: no charset.
      'content-type': kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(secret, ts, body),
    };
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
    }
    const res = await fetch(this.httpTarget, { method: 'POST', headers, body });
    const text = await res.text();
    return {
      status: res.status,
      body: text && /^[{[]/.test(text) ? JSON.parse(text) : text,
      headers: Object.fromEntries(res.headers.entries()),
    };
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private interactive(payload: Record<string, unknown>, opts: DeliveryOptions): Promise<AckResult> {
    if (!this.httpTarget) return this.sendEnvelope('interactive', payload, opts);
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.postSigned(form, 'form', opts);
  }

  private async sendEnvelope(
    type: string,
    payload: Record<string, unknown>,
    opts: DeliveryOptions,
  ): Promise<AckResult> {
    await this.waitForSocket();
    const ws = [...this.sockets].at(-1)!;
    const envelopeId = opts.envelopeId ?? `env-${this.state.next()}`;
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(opts.retryNum !== undefined
        ? { retry_attempt: opts.retryNum, retry_reason: opts.retryReason ?? 'timeout' }
        : {}),
    };
    const acked = new Promise<unknown>((resolve, reject) => {
      // Slack's ack deadline; a late ack counts as a failure here too.
      const timer = setTimeout(
        () => reject(new Error(`no ack for ${envelopeId} within 3 s`)),
        3_000,
      );
      this.pendingAcks.set(envelopeId, (p) => {
        clearTimeout(timer);
        resolve(p);
      });
    });
    this.recorder.add({ method: 'ws_out', args: envelope, status: 200, at: Date.now() });
    ws.send(JSON.stringify(envelope));
    return { status: 200, body: await acked };
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      this.recorder.add({
        method: 'ws_in',
        args: frame as Record<string, unknown>,
        status: 200,
        at: Date.now(),
      });
      if (frame.envelope_id) {
        this.pendingAcks.get(frame.envelope_id)?.(frame.payload ?? {});
        this.pendingAcks.delete(frame.envelope_id);
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'fake-slack', approximate_connection_time: 3600 },
        connection_info: { app_id: this.id.appId },
      }),
    );
    for (const wake of [...this.socketWaiters]) wake();
    this.socketWaiters.clear();
  }
}
