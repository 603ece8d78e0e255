import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { type FakeInteraction, FakeState, type NewFile } from './fake-state.js';
import { FakeGateway } from './gateway.js';
import { type FileSpec, isFileSpec, parseBody, send, summarise } from './http-util.js';
import {
  type Actor,
  chatInputData,
  interactionBase,
  messageCommandData,
  modalSubmitData,
  type OptionValue,
} from './interaction-payloads.js';
import type { OpenApiValidator, ValidationFailure } from './openapi-validator.js';
import { apiUser, type FakeUser, guildCreate } from './payloads.js';
import { Recorder } from './recorder.js';
import { type Reply, routeRest } from './rest-router.js';

export type { FileSpec };

export interface FakeDiscordOptions {
  /** Contract checker; `undefined` skips the OpenAPI check (the caller prints the skip). */
  validator?: OpenApiValidator;
  heartbeatIntervalMs?: number;
  channelUploadLimitBytes?: number;
  ackDeadlineMs?: number;
  /** false: interaction callbacks answer 204 even when asked `with_response=true` (a lax proxy). */
  callbackBodies?: boolean;
}

export interface Fault {
  method?: string;
  path: RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  reply: Reply;
}

const MESSAGE_CONTENT_INTENT = 1 << 15;

/**
 * Discord's REST API, gateway and CDN on one loopback port, for driving the real discord.js.
 * Every REST request is recorded and checked against Discord's OpenAPI spec.
 */
export class FakeDiscord {
  readonly token = 'fake-bot-token.very-secret';
  readonly applicationId = '1100000000000000001';
  readonly guildId = '1100000000000000002';
  readonly channelId = '1100000000000000003';
  readonly bot: FakeUser = { id: this.applicationId, username: 'hailuo', bot: true };
  readonly user: FakeUser = { id: '1100000000000000010', username: 'alice' };
  readonly recorder = new Recorder();
  readonly contractFailures: ValidationFailure[] = [];
  contractChecked = 0;
  readonly state: FakeState;
  private readonly server = createServer((req, res) => void this.onRequest(req, res));
  private readonly gateway: FakeGateway;
  private faults: (Fault & { left: number })[] = [];
  private port = 0;

  constructor(private readonly opts: FakeDiscordOptions = {}) {
    this.state = new FakeState(this.bot, () => this.cdnUrl);
    this.gateway = new FakeGateway({
      server: this.server,
      recorder: this.recorder,
      token: this.token,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 1000,
      ready: () => ({
        ready: {
          user: apiUser(this.bot),
          guilds: [{ id: this.guildId, unavailable: true }],
          application: { id: this.applicationId, flags: 0 },
        },
        guilds: [
          guildCreate({
            guildId: this.guildId,
            channelId: this.channelId,
            bot: this.bot,
            at: new Date().toISOString(),
          }),
        ],
      }),
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get cdnUrl(): string {
    return `http://127.0.0.1:${this.port}/cdn`;
  }
  get validating(): boolean {
    return this.opts.validator !== undefined;
  }
  get identifies() {
    return this.gateway.identifies;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  waitForIdentify(): Promise<void> {
    return this.gateway.waitForIdentify();
  }

  /** Answers the next `times` matching requests with `reply` instead of handling them. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** A 429 the way Discord sends it: `retry_after` in the body and the headers. */
  rateLimitNext(method: string, path: RegExp, retryAfterS = 0.05, times = 1): void {
    this.injectFault({
      method,
      path,
      times,
      reply: {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: retryAfterS, global: false },
        headers: { 'retry-after': String(retryAfterS), 'x-ratelimit-scope': 'user' },
      },
    });
  }

  /**
   * Makes the channel invisible to the bot user: every channel-API call there answers 403
   * Missing Access (50001), as for a channel where slash commands work but the bot has no
   * View Channel permission. Interaction-token calls are not affected.
   */
  hideChannel(channelId = this.channelId): void {
    this.state.hiddenChannels.add(channelId);
  }

  /** Makes every later call on this interaction token fail as after its 15 minutes. */
  expireToken(token: string): void {
    const i = this.state.byToken(token);
    if (i) i.tokenExpired = true;
  }

  /** Puts a file on the fake CDN and returns its attachment object. */
  upload(file: FileSpec): APIAttachment {
    return this.state.addCdnFile(this.channelId, {
      ...file,
      contentType: file.contentType ?? 'image/png',
    });
  }

  slashCommand(name: string, options: Record<string, OptionValue | FileSpec>, actor: Actor = {}) {
    const resolved = Object.fromEntries(
      Object.entries(options).map(([k, v]) => [k, isFileSpec(v) ? this.upload(v) : v]),
    );
    return this.dispatchInteraction(2, chatInputData(this.state.ids.next(), name, resolved), actor);
  }

  modalSubmit(customId: string, fields: Record<string, string | FileSpec[]>, actor: Actor = {}) {
    const resolved = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : v.map((f) => this.upload(f)),
      ]),
    );
    return this.dispatchInteraction(5, modalSubmitData(customId, resolved), actor);
  }

  messageCommand(name: string, target: APIMessage, actor: Actor = {}) {
    return this.dispatchInteraction(
      2,
      messageCommandData(this.state.ids.next(), name, target),
      actor,
    );
  }

  /** A click on a button of `messageId`. */
  button(customId: string, messageId: string, actor: Actor = {}) {
    const msg = this.state.messages.get(messageId);
    if (!msg) throw new Error(`no message ${messageId}`);
    return this.dispatchInteraction(3, { custom_id: customId, component_type: 2 }, actor, msg);
  }

  dispatchInteraction(type: number, data: unknown, actor: Actor, message?: APIMessage) {
    const id = this.state.ids.next();
    const token = `itok-${id}`;
    const user = actor.user ?? this.user;
    const payload = {
      ...interactionBase(
        {
          id,
          token,
          applicationId: this.applicationId,
          guildId: this.guildId,
          channelId: this.channelId,
          actor: { ...actor, user },
        },
        type,
        data,
      ),
      ...(message ? { message } : {}),
    };
    const interaction: FakeInteraction = {
      id,
      token,
      type,
      channelId: this.channelId,
      userId: user.id,
      user,
      guildId: this.guildId,
      dispatchedAt: Date.now(),
      attachmentSizeLimit: payload.attachment_size_limit,
      ...(message ? { messageId: message.id } : {}),
    };
    this.state.interactions.set(id, interaction);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return interaction;
  }

  /**
   * A user posts a message. Without the Message Content intent, Discord blanks content and
   * attachments unless the bot is mentioned, so the fake does too.
   */
  userMessage(opts: {
    content?: string;
    files?: FileSpec[];
    mentionBot?: boolean;
    replyTo?: string;
    author?: FakeUser;
  }): APIMessage {
    const author = opts.author ?? this.user;
    const replied = opts.replyTo ? this.state.messages.get(opts.replyTo) : undefined;
    const msg = this.state.createMessage({
      channelId: this.channelId,
      author,
      body: {
        content: opts.content ?? '',
        ...(opts.replyTo ? { message_reference: { message_id: opts.replyTo } } : {}),
      },
      attachments: (opts.files ?? []).map((f) => this.upload(f)),
      ...(opts.mentionBot ? { mentions: [this.bot] } : {}),
    });
    const intents = this.gateway.identifies.at(-1)?.intents ?? 0;
    const visible = (m: APIMessage, mentioned: boolean) =>
      intents & MESSAGE_CONTENT_INTENT || mentioned || m.author.id === this.bot.id
        ? m
        : { ...m, content: '', attachments: [], embeds: [], components: [] };
    this.gateway.dispatch('MESSAGE_CREATE', {
      ...visible(msg, opts.mentionBot === true),
      guild_id: this.guildId,
      member: { roles: [], joined_at: msg.timestamp, deaf: false, mute: false, flags: 0 },
      ...(replied ? { referenced_message: visible(replied, false) } : {}),
    });
    return msg;
  }

  /** Messages posted in the channel, oldest first. */
  messagesIn(channelId = this.channelId): APIMessage[] {
    return [...this.state.messages.values()].filter((m) => m.channel_id === channelId);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (url.pathname.startsWith('/cdn/')) return this.serveCdn(url.pathname.slice(4), req, res);
    if (!url.pathname.startsWith('/api/v10/'))
      return send(res, { status: 404, body: { code: 0, message: '404: Not Found' } });
    const path = url.pathname
      .slice('/api/v10'.length)
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'] ?? '';
    const { body, files, kind } = await parseBody(raw, contentType);
    this.checkContract(req.method ?? 'GET', path, query, kind, body, files);
    const method = req.method ?? 'GET';
    const fault = this.faults.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && f.path.test(path),
    );
    let reply: Reply;
    if (fault) {
      fault.left -= 1;
      reply = fault.reply;
    } else {
      reply = routeRest(
        {
          method,
          path,
          query,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          ...(body !== undefined ? { body: body as Record<string, unknown> } : {}),
          files,
        },
        {
          state: this.state,
          token: this.token,
          applicationId: this.applicationId,
          gatewayUrl: () => `ws://127.0.0.1:${this.port}`,
          channelUploadLimitBytes: this.opts.channelUploadLimitBytes ?? 10 * 1024 * 1024,
          ackDeadlineMs: this.opts.ackDeadlineMs ?? 3000,
          callbackBodies: this.opts.callbackBodies ?? true,
        },
      );
    }
    const errorCode = (reply.body as { code?: number } | undefined)?.code;
    this.recorder.addRequest({
      at: Date.now(),
      method,
      path,
      query,
      headers: { authorization: req.headers.authorization, 'content-type': contentType },
      body,
      files: files.map(summarise),
      status: reply.status,
      ...(fault ? { fault: true } : {}),
      ...(reply.status >= 400 && errorCode !== undefined ? { errorCode } : {}),
    });
    send(res, reply);
  }

  private checkContract(
    method: string,
    path: string,
    query: Record<string, string>,
    kind: 'json' | 'multipart' | 'none',
    body: unknown,
    files: NewFile[],
  ): void {
    if (!this.opts.validator) return;
    this.contractChecked += 1;
    const problems = this.opts.validator.check({
      method,
      path,
      query,
      contentType: kind,
      body,
      fileFields: files.map((f) => `files[${f.index}]`),
    });
    for (const problem of problems) this.contractFailures.push({ method, path, problem });
  }

  private serveCdn(path: string, req: IncomingMessage, res: ServerResponse): void {
    const file = this.state.cdn.get(path);
    this.recorder.addRequest({
      at: Date.now(),
      method: req.method ?? 'GET',
      path: `/cdn${path}`,
      query: {},
      headers: { authorization: req.headers.authorization },
      files: [],
      status: file ? 200 : 404,
    });
    if (!file) {
      send(res, { status: 404, body: { message: 'Not Found' } });
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
    res.end(file.bytes);
  }
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(opts).start();
}
