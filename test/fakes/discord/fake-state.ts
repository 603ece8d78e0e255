import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { attachment, type FakeUser, message, Snowflakes } from './payloads.js';

/** An interaction the fake dispatched, and what the bot did with its token. */
export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  channelId: string;
  userId: string;
  user: FakeUser;
  guildId: string;
  dispatchedAt: number;
  attachmentSizeLimit: number;
  /** The component's message, for button clicks (type 7 updates it). */
  messageId?: string;
  ackedAt?: number;
  ackType?: number;
  originalMessageId?: string;
  tokenExpired?: boolean;
  /** Set when the bot answered with a modal (type 9). */
  modal?: unknown;
}

export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

export interface NewFile {
  index: number;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

type EditBody = {
  content?: string | null;
  components?: unknown[] | null;
  embeds?: unknown[] | null;
  flags?: number | null;
  attachments?: { id: string | number; filename?: string; description?: string }[] | null;
};

/** Messages, interactions and CDN files of the fake, with Discord's edit semantics. */
export class FakeState {
  readonly ids = new Snowflakes();
  readonly messages = new Map<string, APIMessage>();
  /** Every version of each message, oldest first (index 0 = as created). */
  readonly history = new Map<string, APIMessage[]>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly cdn = new Map<string, StoredFile>();
  readonly commands = new Map<string, unknown[]>();
  /** Channels the bot cannot see: the channel API answers 403 Missing Access (50001) there. */
  readonly hiddenChannels = new Set<string>();
  /** Users whose DMs are closed to the bot (403, 50007). */
  readonly closedDms = new Set<string>();
  /** DM channel id per user, as POST /users/@me/channels opened them. */
  readonly dmChannels = new Map<string, string>();

  constructor(
    readonly bot: FakeUser,
    private readonly cdnBase: () => string,
  ) {}

  byToken(token: string): FakeInteraction | undefined {
    for (const i of this.interactions.values()) if (i.token === token) return i;
    return undefined;
  }

  /** Stores bytes on the fake CDN and returns the attachment object pointing at them. */
  addCdnFile(
    channelId: string,
    file: { filename: string; bytes: Buffer; contentType: string; width?: number; height?: number },
  ): APIAttachment {
    const id = this.ids.next();
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    this.cdn.set(path, { bytes: file.bytes, contentType: file.contentType });
    return attachment({
      id,
      filename: file.filename,
      size: file.bytes.length,
      url: `${this.cdnBase()}${path}?ex=ffffffff&is=0&hm=fake`,
      contentType: file.contentType,
      ...(file.width ? { width: file.width, height: file.height } : {}),
    });
  }

  createMessage(opts: {
    channelId: string;
    author: FakeUser;
    body?: EditBody & {
      message_reference?: { message_id: string; channel_id?: string };
    };
    files?: NewFile[];
    flags?: number;
    interactionMetadata?: Record<string, unknown>;
    mentions?: FakeUser[];
    attachments?: APIAttachment[];
  }): APIMessage {
    const ref = opts.body?.message_reference;
    const msg = message({
      id: this.ids.next(),
      channelId: opts.channelId,
      author: opts.author,
      content: opts.body?.content ?? '',
      at: new Date().toISOString(),
      flags: opts.flags ?? opts.body?.flags ?? 0,
      components: opts.body?.components ?? [],
      attachments: [
        ...(opts.attachments ?? []),
        ...this.newAttachments(opts.channelId, opts.body, opts.files ?? []),
      ],
      ...(opts.mentions ? { mentions: opts.mentions } : {}),
      ...(ref
        ? { reference: { messageId: ref.message_id, channelId: ref.channel_id ?? opts.channelId } }
        : {}),
      ...(opts.interactionMetadata ? { interactionMetadata: opts.interactionMetadata } : {}),
    });
    this.messages.set(msg.id, msg);
    this.history.set(msg.id, [structuredClone(msg)]);
    return msg;
  }

  /** Applies an edit the way Discord does: only the fields sent change; `attachments` lists what stays. */
  editMessage(id: string, body: EditBody, files: NewFile[]): APIMessage {
    const msg = this.messages.get(id);
    if (!msg) throw new Error(`unknown message ${id}`);
    if (body.content !== undefined) msg.content = body.content ?? '';
    if (body.components !== undefined)
      msg.components = (body.components ?? []) as APIMessage['components'];
    if (body.embeds !== undefined) msg.embeds = (body.embeds ?? []) as APIMessage['embeds'];
    // The loading flag (128) clears once a deferred response is edited.
    msg.flags = (msg.flags ?? 0) & ~128;
    if (body.attachments != null) {
      const keep = new Set(body.attachments.map((a) => String(a.id)));
      msg.attachments = [
        ...msg.attachments.filter((a) => keep.has(a.id)),
        ...this.newAttachments(msg.channel_id, body, files),
      ];
    } else if (files.length > 0) {
      msg.attachments = [...msg.attachments, ...this.newAttachments(msg.channel_id, body, files)];
    }
    msg.edited_timestamp = new Date().toISOString();
    this.history.get(id)?.push(structuredClone(msg));
    return msg;
  }

  private newAttachments(channelId: string, body: EditBody | undefined, files: NewFile[]) {
    return files.map((f) => {
      const meta = body?.attachments?.find((a) => String(a.id) === String(f.index));
      return this.addCdnFile(channelId, {
        filename: meta?.filename ?? f.filename,
        bytes: f.bytes,
        contentType: f.contentType,
      });
    });
  }
}
