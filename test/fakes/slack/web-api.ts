import { createHash } from 'node:crypto';
import { type FakeSlackState, fileJson } from './state.js';

/** Identity of the fake workspace and its tokens. */
export interface FakeIdentity {
  baseUrl: string;
  botToken: string;
  appToken: string;
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export type ApiReply = {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
};

const ok = (body: Record<string, unknown> = {}): ApiReply => ({
  status: 200,
  body: { ok: true, ...body },
});
const err = (error: string): ApiReply => ({ status: 200, body: { ok: false, error } });

/** Decodes a Web API body: form fields with JSON-looking values parsed, or a JSON body. */
export async function parseApiBody(
  raw: Buffer,
  contentType: string,
): Promise<Record<string, unknown>> {
  if (contentType.startsWith('application/json'))
    return raw.length ? JSON.parse(raw.toString()) : {};
  let entries: [string, unknown][];
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    entries = [...form.entries()];
  } else {
    entries = [...new URLSearchParams(raw.toString()).entries()];
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    args[key] = typeof value === 'string' && /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Answers one Web API method the way Slack does (shapes from @slack/web-api response types). */
export function handleApiMethod(
  method: string,
  args: Record<string, unknown>,
  token: string | undefined,
  state: FakeSlackState,
  id: FakeIdentity,
): ApiReply {
  if (method === 'apps.connections.open') {
    if (token !== id.appToken) return err('invalid_auth');
    return ok({ url: `${id.baseUrl.replace(/^http/, 'ws')}/link/?ticket=t${state.next()}` });
  }
  if (token !== id.botToken) return err(token ? 'invalid_auth' : 'not_authed');
  const s = (k: string) => (args[k] === undefined ? undefined : String(args[k]));

  switch (method) {
    case 'auth.test':
      return ok({
        url: `${id.baseUrl}/`,
        team: 'Fake Team',
        user: 'videobot',
        team_id: id.teamId,
        user_id: id.botUserId,
        bot_id: id.botId,
        is_enterprise_install: false,
      });
    case 'chat.postMessage': {
      const channel = s('channel');
      if (!channel) return err('channel_not_found');
      // chat:write.public covers public channels only; a private one needs an invitation.
      const where = state.conversation(channel);
      if (where.isPrivate && !where.botIsMember) return err('channel_not_found');
      if (!args.text && !args.blocks) return err('no_text');
      const ts = state.nextTs();
      const message = {
        channel,
        ts,
        text: s('text') ?? '',
        blocks: args.blocks as unknown[] | undefined,
        threadTs: s('thread_ts'),
        updates: 0,
      };
      state.messages.push(message);
      return ok({
        channel,
        ts,
        message: { type: 'message', text: message.text, ts, bot_id: id.botId },
      });
    }
    case 'chat.update': {
      const message = state.message(s('channel') ?? '', s('ts') ?? '');
      if (!message) return err('message_not_found');
      message.text = s('text') ?? message.text;
      if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
      message.updates += 1;
      return ok({ channel: message.channel, ts: message.ts, text: message.text });
    }
    case 'chat.delete': {
      const message = state.message(s('channel') ?? '', s('ts') ?? '');
      if (!message) return err('message_not_found');
      state.messages.splice(state.messages.indexOf(message), 1);
      return ok({ channel: message.channel, ts: message.ts });
    }
    case 'chat.postEphemeral':
      if (!s('channel') || !s('user')) return err('channel_not_found');
      return ok({ message_ts: state.nextTs() });
    case 'chat.getPermalink':
      return ok({
        permalink: `${id.baseUrl}/archives/${s('channel')}/p${s('message_ts')?.replace('.', '')}`,
      });
    case 'views.open': {
      if (!s('trigger_id')) return err('invalid_trigger_id');
      const view = { id: `V${state.next()}`, ...(args.view as Record<string, unknown>) };
      state.views.push(view);
      return ok({ view });
    }
    case 'files.info': {
      const file = state.files.get(s('file') ?? '');
      return file ? ok({ file: fileJson(file) }) : err('file_not_found');
    }
    case 'files.getUploadURLExternal': {
      const length = Number(s('length'));
      if (!s('filename') || !Number.isInteger(length) || length <= 0)
        return err('invalid_arguments');
      const file = state.addFile(id.baseUrl, Buffer.alloc(0), {
        name: s('filename')!,
        mimetype: 'video/mp4',
        user: id.botUserId,
        declaredLength: length,
      });
      return ok({ upload_url: `${id.baseUrl}/upload/v1/${file.id}`, file_id: file.id });
    }
    case 'files.completeUploadExternal':
      return completeUpload(args, state, s);
    case 'conversations.join': {
      const channel = s('channel') ?? '';
      const where = state.conversation(channel);
      if (where.isPrivate) return err('method_not_supported_for_channel_type');
      const already = where.botIsMember;
      where.botIsMember = true;
      return ok({
        channel: { id: channel, is_channel: true, is_private: false, is_member: true },
        ...(already ? { warning: 'already_in_channel' } : {}),
      });
    }
    case 'users.info': {
      const user = s('user');
      if (!user) return err('user_not_found');
      // Slack adds `locale` only when asked with include_locale=true.
      const locale = args['include_locale'] === true || s('include_locale') === 'true';
      return ok({
        user: {
          id: user,
          team_id: id.teamId,
          name: user.toLowerCase(),
          ...(locale ? { locale: state.locales.get(user) ?? 'en-US' } : {}),
        },
      });
    }
    case 'usergroups.users.list': {
      const users = state.usergroups.get(s('usergroup') ?? '');
      return users ? ok({ users: [...users] }) : err('no_such_subteam');
    }
    case 'conversations.replies': {
      const channel = s('channel') ?? '';
      const ts = s('ts') ?? '';
      const parent = state.message(channel, ts);
      if (!parent) return err('thread_not_found');
      const files = (parent.files ?? [])
        .map((f) => state.files.get(f))
        .filter((f) => f !== undefined);
      const msgs = [parent, ...state.thread(channel, ts)].map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        user: m.user,
        ...(m === parent && files.length ? { files: files.map(fileJson) } : {}),
      }));
      return ok({ messages: msgs.slice(0, Number(s('limit') ?? 100)), has_more: false });
    }
    default:
      return err('unknown_method');
  }
}

function completeUpload(
  args: Record<string, unknown>,
  state: FakeSlackState,
  s: (k: string) => string | undefined,
): ApiReply {
  const list = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
  if (!list.length) return err('invalid_arguments');
  const channel = s('channel_id');
  // Sharing a file needs membership even where chat:write.public lets the bot post.
  if (channel && !state.conversation(channel).botIsMember) return err('not_in_channel');
  const done = [];
  for (const item of list) {
    const file = state.files.get(item.id);
    if (!file?.uploaded) return err('file_not_found');
    if (file.bytes.length !== file.declaredLength) return err('file_upload_size_mismatch');
    if (item.title) file.title = item.title;
    if (channel) file.channels.push(channel);
    done.push(file);
  }
  if (channel) {
    state.messages.push({
      channel,
      ts: state.nextTs(),
      text: s('initial_comment') ?? '',
      threadTs: s('thread_ts'),
      files: done.map((f) => f.id),
      updates: 0,
    });
  }
  return ok({ files: done.map(fileJson) });
}

/** Stores bytes POSTed to an upload URL: raw bytes, or multipart with one file part. */
export async function receiveUpload(
  fileId: string,
  raw: Buffer,
  contentType: string,
  state: FakeSlackState,
): Promise<{ status: number; text: string }> {
  const file = state.files.get(fileId);
  if (!file || file.uploaded) return { status: 404, text: 'not found' };
  let bytes = raw;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const part = [...form.values()].find((v) => typeof v !== 'string');
    if (!part || typeof part === 'string') return { status: 400, text: 'no file part' };
    bytes = Buffer.from(await part.arrayBuffer());
  }
  file.bytes = bytes;
  file.uploaded = true;
  file.sha256 = createHash('sha256').update(bytes).digest('hex');
  return { status: 200, text: `OK - ${bytes.length}` };
}
