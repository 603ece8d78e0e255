import type { FakeInteraction, FakeState, NewFile } from './fake-state.js';
import { apiUser } from './payloads.js';

export interface ParsedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: Record<string, unknown>;
  files: NewFile[];
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouterOptions {
  state: FakeState;
  token: string;
  applicationId: string;
  gatewayUrl: () => string;
  /** Upload limit for bot-token channel messages (Discord's default is 10 MiB). */
  channelUploadLimitBytes: number;
  /** The initial-response deadline (Discord: 3 s). */
  ackDeadlineMs: number;
  callbackBodies: boolean;
}

export const discordError = (status: number, code: number, message: string): Reply => ({
  status,
  body: { code, message },
});

const ok = (body: unknown): Reply => ({ status: 200, body });

/** Routes REST calls to the fake's state with Discord's status codes and error codes. */
export function routeRest(req: ParsedRequest, o: RouterOptions): Reply {
  const seg = req.path.split('/').filter(Boolean);
  const [root, a, b, c, d] = seg;
  const isBot = req.authorization === `Bot ${o.token}`;
  const needsBot = root !== 'interactions' && root !== 'webhooks';
  if (needsBot && !isBot) return discordError(401, 0, '401: Unauthorized');

  if (root === 'gateway' && a === 'bot' && req.method === 'GET')
    return ok({
      url: o.gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
    });
  if (root === 'users' && a === '@me' && req.method === 'GET') return ok(apiUser(o.state.bot));
  if (root === 'users' && a === '@me' && b === 'channels' && req.method === 'POST')
    return openDm(String(req.body?.recipient_id ?? ''), o);
  if (root === 'interactions' && a && b && c === 'callback' && req.method === 'POST')
    return interactionCallback(a, b, req, o);
  if (root === 'webhooks' && a && b) return webhook(a, b, seg.slice(3), req, o);
  if (root === 'channels' && a && b === 'messages') return channelMessages(a, c, req, o);
  if (root === 'applications' && a === o.applicationId) {
    const guildId = b === 'guilds' ? c : undefined;
    const tail = guildId ? d : b;
    if (tail === 'commands') return commands(guildId, req, o);
  }
  return discordError(404, 0, '404: Not Found');
}

function interactionCallback(id: string, token: string, req: ParsedRequest, o: RouterOptions) {
  const i = o.state.interactions.get(id);
  if (!i || i.token !== token) return discordError(404, 10062, 'Unknown interaction');
  if (i.ackedAt !== undefined)
    return discordError(400, 40060, 'Interaction has already been acknowledged.');
  if (Date.now() - i.dispatchedAt > o.ackDeadlineMs)
    return discordError(404, 10062, 'Unknown interaction');
  const body = req.body as { type: number; data?: Record<string, unknown> };
  i.ackedAt = Date.now();
  i.ackType = body.type;
  const flags = Number(body.data?.flags ?? 0);
  let messageId: string | undefined;
  if (body.type === 4 || body.type === 5) {
    const msg = o.state.createMessage({
      channelId: i.channelId,
      author: o.state.bot,
      body: body.type === 4 ? body.data : {},
      files: req.files,
      flags: body.type === 5 ? flags | 128 : flags,
      interactionMetadata: {
        id: i.id,
        type: i.type,
        user: apiUser(i.user),
        authorizing_integration_owners: { '0': i.guildId },
      },
    });
    i.originalMessageId = msg.id;
    messageId = msg.id;
  } else if (body.type === 7 && i.messageId) {
    o.state.editMessage(i.messageId, body.data ?? {}, req.files);
    messageId = i.messageId;
  } else if (body.type === 9) {
    i.modal = body.data;
  }
  if (req.query.with_response !== 'true' || !o.callbackBodies) return { status: 204 };
  const msg = messageId ? o.state.messages.get(messageId) : undefined;
  return ok({
    interaction: {
      id: i.id,
      type: i.type,
      ...(messageId
        ? {
            response_message_id: messageId,
            response_message_loading: body.type === 5,
            response_message_ephemeral: (flags & 64) !== 0,
          }
        : {}),
    },
    // Discord documents `resource.message` only for types 4 and 7, so a deferral carries none.
    resource: { type: body.type, ...(msg && body.type !== 5 ? { message: msg } : {}) },
  });
}

function webhook(
  appId: string,
  token: string,
  rest: string[],
  req: ParsedRequest,
  o: RouterOptions,
) {
  const i = o.state.byToken(token);
  if (appId !== o.applicationId || !i) return discordError(404, 10015, 'Unknown Webhook');
  if (i.tokenExpired) return discordError(401, 50027, 'Invalid Webhook Token');
  const tooBig = req.files.find((f) => f.bytes.length > i.attachmentSizeLimit);
  if (tooBig) return discordError(413, 40005, 'Request entity too large');
  if (rest.length === 0 && req.method === 'POST') {
    const msg = o.state.createMessage({
      channelId: i.channelId,
      author: o.state.bot,
      body: req.body,
      files: req.files,
      flags: Number(req.body?.flags ?? 0),
    });
    return ok(msg);
  }
  if (rest[0] !== 'messages' || !rest[1]) return discordError(404, 0, '404: Not Found');
  const id = rest[1] === '@original' ? i.originalMessageId : rest[1];
  const msg = id ? o.state.messages.get(id) : undefined;
  if (!msg || !id) return discordError(404, 10008, 'Unknown Message');
  if (req.method === 'GET') return ok(msg);
  if (req.method === 'PATCH') return ok(o.state.editMessage(id, req.body ?? {}, req.files));
  if (req.method === 'DELETE') {
    o.state.messages.delete(id);
    return { status: 204 };
  }
  return discordError(405, 0, '405: Method Not Allowed');
}

/** Opens (or reuses) the DM channel with a user; Discord answers a DM channel object. */
function openDm(userId: string, o: RouterOptions): Reply {
  if (!/^\d+$/.test(userId)) return discordError(400, 50035, 'Invalid Form Body');
  let id = o.state.dmChannels.get(userId);
  if (!id) {
    id = o.state.ids.next();
    o.state.dmChannels.set(userId, id);
  }
  return ok({
    id,
    type: 1,
    last_message_id: null,
    flags: 0,
    recipients: [{ id: userId, username: `user${userId.slice(-4)}`, discriminator: '0' }],
  });
}

function channelMessages(
  channelId: string,
  messageId: string | undefined,
  req: ParsedRequest,
  o: RouterOptions,
): Reply {
  if (o.state.hiddenChannels.has(channelId)) return discordError(403, 50001, 'Missing Access');
  const dmUser = [...o.state.dmChannels].find(([, id]) => id === channelId)?.[0];
  if (dmUser && o.state.closedDms.has(dmUser))
    return discordError(403, 50007, 'Cannot send messages to this user');
  const tooBig = req.files.find((f) => f.bytes.length > o.channelUploadLimitBytes);
  if (tooBig) return discordError(413, 40005, 'Request entity too large');
  if (!messageId && req.method === 'POST')
    return ok(
      o.state.createMessage({
        channelId,
        author: o.state.bot,
        body: req.body,
        files: req.files,
        flags: Number(req.body?.flags ?? 0) & ~64,
      }),
    );
  const msg = messageId ? o.state.messages.get(messageId) : undefined;
  // Ephemeral interaction replies cannot be reached through the channel API.
  if (!msg || !messageId || msg.channel_id !== channelId || ((msg.flags ?? 0) & 64) !== 0)
    return discordError(404, 10008, 'Unknown Message');
  if (req.method === 'GET') return ok(msg);
  if (req.method === 'PATCH') {
    if (msg.author.id !== o.state.bot.id)
      return discordError(403, 50005, 'Cannot edit a message authored by another user');
    return ok(o.state.editMessage(messageId, req.body ?? {}, req.files));
  }
  return discordError(405, 0, '405: Method Not Allowed');
}

function commands(guildId: string | undefined, req: ParsedRequest, o: RouterOptions): Reply {
  const key = guildId ?? 'global';
  if (req.method === 'GET') return ok(o.state.commands.get(key) ?? []);
  if (req.method !== 'PUT') return discordError(405, 0, '405: Method Not Allowed');
  const list = ((req.body as unknown as Record<string, unknown>[]) ?? []).map((cmd) => ({
    ...cmd,
    id: o.state.ids.next(),
    application_id: o.applicationId,
    version: o.state.ids.next(),
    type: cmd.type ?? 1,
    ...(guildId ? { guild_id: guildId } : {}),
  }));
  o.state.commands.set(key, list);
  return ok(list);
}

export type { FakeInteraction };
