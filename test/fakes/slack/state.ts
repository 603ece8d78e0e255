import { createHash } from 'node:crypto';

/** A message as the fake stores it; `updates` counts chat.update calls that hit it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  user?: string;
  files?: string[];
  updates: number;
}

/** A file a user uploaded (served at `url_private` with the bot token) or the bot uploaded. */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  bytes: Buffer;
  url_private: string;
  url_private_download: string;
  permalink: string;
  user: string;
  /** For bot uploads: the `length` declared to files.getUploadURLExternal. */
  declaredLength?: number;
  /** For bot uploads: true once bytes arrived at the upload URL. */
  uploaded?: boolean;
  sha256?: string;
  channels: string[];
}

/** A reply the next matching call gets instead of the normal one. */
export interface Fault {
  /** HTTP status; 429 adds `Retry-After`. Default 200. */
  status?: number;
  /** Seconds for `Retry-After` (with status 429). */
  retryAfterSec?: number;
  /** `ok:false` error code (e.g. `ratelimited`, `channel_not_found`). */
  error?: string;
}

/** A conversation as Slack sees it: public channels need joining before files can be shared. */
export interface FakeConversation {
  isPrivate: boolean;
  /** Whether the bot user is a member (chat:write.public lets it post without being one). */
  botIsMember: boolean;
}

/** Everything the fake Slack remembers; ids and timestamps are deterministic counters. */
export class FakeSlackState {
  readonly messages: FakeMessage[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly views: Record<string, unknown>[] = [];
  /** User-group id → member user ids, as usergroups.users.list answers; tests fill it. */
  readonly usergroups = new Map<string, string[]>();
  /** User id → Slack locale, as users.info answers with include_locale; default `en-US`. */
  readonly locales = new Map<string, string>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly conversations = new Map<string, FakeConversation>();
  private seq = 0;

  /**
   * A conversation's kind and the bot's membership. Undeclared ids follow Slack's prefixes: `C…`
   * is a public channel the bot has NOT joined (as after installing with chat:write.public),
   * `D…` a DM and `G…` a private channel the bot is in.
   */
  conversation(id: string): FakeConversation {
    let c = this.conversations.get(id);
    if (!c) {
      c = id.startsWith('C')
        ? { isPrivate: false, botIsMember: false }
        : { isPrivate: true, botIsMember: true };
      this.conversations.set(id, c);
    }
    return c;
  }

  setConversation(id: string, conversation: FakeConversation): void {
    this.conversations.set(id, conversation);
  }

  next(): number {
    this.seq += 1;
    return this.seq;
  }

  nextTs(): string {
    const n = this.next();
    return `${1_700_000_000 + n}.${String(n).padStart(6, '0')}`;
  }

  /** Queues `times` faulty replies for `method` (`upload` for the upload URL). */
  fail(method: string, fault: Fault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(fault);
    this.faults.set(method, list);
  }

  takeFault(method: string): Fault | undefined {
    return this.faults.get(method)?.shift();
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Messages in one thread (replies only), oldest first. */
  thread(channel: string, threadTs: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs);
  }

  addFile(
    baseUrl: string,
    bytes: Buffer,
    opts: { name: string; mimetype: string; user: string; declaredLength?: number },
  ): FakeFile {
    const id = `F${String(this.next()).padStart(8, '0')}`;
    const filetype = opts.name.split('.').pop() ?? 'bin';
    const url = `${baseUrl}/files-pri/T0001-${id}/${encodeURIComponent(opts.name)}`;
    const file: FakeFile = {
      id,
      name: opts.name,
      title: opts.name,
      mimetype: opts.mimetype,
      filetype,
      bytes,
      url_private: url,
      url_private_download: `${url}?download=1`,
      permalink: `${baseUrl}/archives/files/${id}`,
      user: opts.user,
      declaredLength: opts.declaredLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      channels: [],
    };
    this.files.set(id, file);
    return file;
  }
}

/** The public JSON shape of a file (what events, view states and files.* answers carry). */
export function fileJson(f: FakeFile): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: f.filetype,
    size: f.bytes.length,
    url_private: f.url_private,
    url_private_download: f.url_private_download,
    permalink: f.permalink,
    user: f.user,
    channels: f.channels,
  };
}
